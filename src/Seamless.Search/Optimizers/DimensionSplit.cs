namespace Seamless.Search.Optimizers;

/// <summary>
/// One optimiser below a number of dimensions, another from it on: the default search differs between the block groups
/// of one or two models (18–26 weights) and two models' 52 blocks, because the landscape suite's measurements differ
/// there (docs/benchmarks.md, "The targets"). Stateless, as its parts are.
/// </summary>
/// <param name="below">Asked for spaces of fewer than <paramref name="threshold"/> dimensions.</param>
/// <param name="from">Asked for spaces of <paramref name="threshold"/> dimensions or more.</param>
public sealed class DimensionSplit(IOptimizer below, IOptimizer from, int threshold) : IOptimizer
{
    public string Name => $"{below.Name}<{threshold}≤{from.Name}";

    /// <summary>The optimiser that works on a space of <paramref name="dimensions"/>.</summary>
    public IOptimizer For(int dimensions) => dimensions < threshold ? below : from;

    public IReadOnlyList<double[]> Ask(int dimensions, IReadOnlyList<Observation> completed, IReadOnlyList<double[]> pending, int count, int seed) =>
        For(dimensions).Ask(dimensions, completed, pending, count, seed);

    public (double[] Point, double Value) Incumbent(IReadOnlyList<Observation> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        return (completed.Count == 0 ? below : For(completed[0].Point.Length)).Incumbent(completed);
    }
}
