namespace Seamless.Search.Optimizers;

/// <summary>
/// Searches a coarse version of the space first and refines it, after BAxUS (Papenmeier, Nardi and Poloczek, "Increasing
/// the scope as you learn: adaptive Bayesian optimization in nested subspaces", NeurIPS 2022): the d weights are tied in
/// k contiguous bins (neighbouring blocks of one model share a weight), the inner optimiser works in those k
/// dimensions, and k doubles until it reaches d (or jumps to d once doubling would pass ¾ d). Bins are split in halves, so every point asked at a coarser level is
/// exactly a point of the finer one and nothing learned is lost. The level is a function of the number of completed
/// observations only, so the decorator stays stateless like every <see cref="IOptimizer"/>.
/// </summary>
/// <remarks>
/// Bins are the index ranges [⌊j·d/k⌋, ⌊(j+1)·d/k⌋); with an even k and two models of equal block counts the model
/// boundary is a bin boundary. A point that is not tied within the bins (a probe of one input's blocks, say) is seen by
/// the inner optimiser at its bin means.
/// </remarks>
/// <param name="inner">The optimiser of each level's coarse space.</param>
/// <param name="initialBins">Bins at the start (even, so two models' blocks are never binned together).</param>
/// <param name="evaluationsPerBin">Evaluations a level of k bins gets before its bins are halved: this × k.</param>
/// <param name="minDimensions">Below this many dimensions the inner optimiser works on the full space from the start.</param>
public sealed class NestedEmbedding(IOptimizer inner, int initialBins = 6, double evaluationsPerBin = 1.5, int minDimensions = 0) : IOptimizer
{
    /// <summary>The default search's gate: nested subspaces from this many weights on (tuned: better at 52, worse at 18 and 26).</summary>
    public const int DefaultMinDimensions = 40;

    public string Name => inner.Name + "-nested";

    /// <summary>The number of bins after <paramref name="completed"/> observations in <paramref name="dimensions"/>.</summary>
    public int Bins(int dimensions, int completed)
    {
        if (dimensions < minDimensions)
        {
            return dimensions;
        }

        var k = Math.Min(dimensions, initialBins);
        var until = evaluationsPerBin * k;
        while (k < dimensions && completed >= until)
        {
            // Halving the bins again would leave a few pairs among singletons: go to the full space instead.
            k = 2 * k >= 0.75 * dimensions ? dimensions : 2 * k;
            until += evaluationsPerBin * k;
        }

        return k;
    }

    /// <summary>Bin j covers indices [Start(j), Start(j + 1)).</summary>
    private static int Start(int j, int bins, int dimensions) => (int)((long)j * dimensions / bins);

    public IReadOnlyList<double[]> Ask(int dimensions, IReadOnlyList<Observation> completed, IReadOnlyList<double[]> pending, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        ArgumentNullException.ThrowIfNull(pending);
        var k = Bins(dimensions, completed.Count);
        if (k == dimensions)
        {
            return inner.Ask(dimensions, completed, pending, count, seed);
        }

        var low = inner.Ask(k, Down(completed, k, dimensions), [.. pending.Select(p => Down(p, k, dimensions))], count, seed);
        return [.. low.Select(p => Up(p, dimensions))];
    }

    public (double[] Point, double Value) Incumbent(IReadOnlyList<Observation> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        if (completed.Count == 0)
        {
            return inner.Incumbent(completed);
        }

        var dimensions = completed[0].Point.Length;
        var k = Bins(dimensions, completed.Count);
        if (k == dimensions)
        {
            return inner.Incumbent(completed);
        }

        var (point, value) = inner.Incumbent(Down(completed, k, dimensions));
        return (Up(point, dimensions), value);
    }

    private static List<Observation> Down(IReadOnlyList<Observation> completed, int bins, int dimensions) =>
        [.. completed.Select(o => o with { Point = Down(o.Point, bins, dimensions) })];

    /// <summary>The bin means of a full point.</summary>
    internal static double[] Down(double[] point, int bins, int dimensions)
    {
        var low = new double[bins];
        for (var j = 0; j < bins; j++)
        {
            var (from, to) = (Start(j, bins, dimensions), Start(j + 1, bins, dimensions));
            // The mean as the first weight plus the mean offset from it: exact when the bin is tied (a point asked at
            // this level or a coarser one comes back as itself).
            var sum = 0.0;
            for (var i = from + 1; i < to; i++)
            {
                sum += point[i] - point[from];
            }

            low[j] = point[from] + (sum / (to - from));
        }

        return low;
    }

    /// <summary>The full point whose weights in bin j all equal the coarse point's j-th.</summary>
    internal static double[] Up(double[] low, int dimensions)
    {
        var bins = low.Length;
        var point = new double[dimensions];
        for (var j = 0; j < bins; j++)
        {
            for (var i = Start(j, bins, dimensions); i < Start(j + 1, bins, dimensions); i++)
            {
                point[i] = low[j];
            }
        }

        return point;
    }
}
