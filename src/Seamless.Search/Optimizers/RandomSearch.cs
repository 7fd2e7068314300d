namespace Seamless.Search.Optimizers;

/// <summary>Uniform random points: the baseline every other optimiser must beat.</summary>
public sealed class RandomSearch : IOptimizer
{
    public string Name => "random";

    public IReadOnlyList<double[]> Ask(int dimensions, IReadOnlyList<Observation> completed, IReadOnlyList<double[]> pending, int count, int seed)
    {
        var random = Seeds.Random(seed, completed.Count + pending.Count);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, dimensions).Select(_ => random.NextDouble()).ToArray()).ToList();
    }

    public (double[] Point, double Value) Incumbent(IReadOnlyList<Observation> completed)
    {
        var best = completed.MaxBy(o => o.Value) ?? throw new InvalidOperationException("no completed observations");
        return (best.Point, best.Value);
    }
}
