namespace Seamless.Search.Optimizers;

/// <summary>A space-filling design for the whole budget: Latin hypercube blocks, then random fill.</summary>
public sealed class QuasiRandomSearch(int blockSize = 16) : IOptimizer
{
    public string Name => "quasirandom";

    public IReadOnlyList<double[]> Ask(int dimensions, IReadOnlyList<Observation> completed, IReadOnlyList<double[]> pending, int count, int seed)
    {
        // Trial i takes point (i mod block) of LHS block (i div block); each block has a seed derived from its index,
        // so points do not depend on how the asks were batched.
        var results = new List<double[]>();
        var start = completed.Count + pending.Count;
        for (var i = start; i < start + count; i++)
        {
            var block = LatinHypercube.Sample(blockSize, dimensions, Seeds.Random(seed, -1 - (i / blockSize)));
            results.Add(block[i % blockSize]);
        }

        return results;
    }

    public (double[] Point, double Value) Incumbent(IReadOnlyList<Observation> completed) => new RandomSearch().Incumbent(completed);
}
