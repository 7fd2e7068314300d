using Seamless.Search.Optimizers;

namespace Seamless.Benchmarks;

/// <summary>A portfolio of two optimisers taking turns (a benchmark variant): even asks from the first, odd from the second.</summary>
internal sealed class Alternating(IOptimizer first, IOptimizer second) : IOptimizer
{
    public string Name => $"{first.Name}|{second.Name}";

    public IReadOnlyList<double[]> Ask(int dimensions, IReadOnlyList<Observation> completed, IReadOnlyList<double[]> pending, int count, int seed) =>
        ((completed.Count + pending.Count) % 2 == 0 ? first : second).Ask(dimensions, completed, pending, count, seed);

    public (double[] Point, double Value) Incumbent(IReadOnlyList<Observation> completed) => second.Incumbent(completed);
}
