namespace Seamless.Search.Optimizers;

/// <summary>
/// Ask/tell optimisation over the unit cube, stateless between calls: everything it knows comes in as the
/// completed observations and the points still being evaluated, so a study resumed from its store proposes
/// exactly what it would have proposed without the interruption.
/// </summary>
public interface IOptimizer
{
    string Name { get; }

    /// <summary>
    /// Proposes <paramref name="count"/> new points, avoiding <paramref name="pending"/> ones. Randomness derives
    /// from <paramref name="seed"/> and the number of points already asked, so a rerun proposes the same points.
    /// </summary>
    IReadOnlyList<double[]> Ask(int dimensions, IReadOnlyList<Observation> completed, IReadOnlyList<double[]> pending, int count, int seed);

    /// <summary>The recommended point and its estimated value (best posterior mean for model-based optimisers).</summary>
    (double[] Point, double Value) Incumbent(IReadOnlyList<Observation> completed);
}
