using Seamless.Search.Optimizers;

namespace Seamless.Benchmarks;

/// <summary>Experiment: an optimiser that sees logit(y) (delta-method noise) instead of the accuracy y.</summary>
internal sealed class WarpedOptimizer(IOptimizer inner, string warp = "logit") : IOptimizer
{
    public IOptimizer Inner => inner;

    public string Name => inner.Name + "+logit";

    public IReadOnlyList<double[]> Ask(int dimensions, IReadOnlyList<Observation> completed, IReadOnlyList<double[]> pending, int count, int seed) =>
        inner.Ask(dimensions, Warp(completed), pending, count, seed);

    public (double[] Point, double Value) Incumbent(IReadOnlyList<Observation> completed) => inner.Incumbent(Warp(completed));

    private List<Observation> Warp(IReadOnlyList<Observation> completed) => warp == "copula" ? Copula(completed) : warp.StartsWith("clip", StringComparison.Ordinal) ? Clip(completed, double.Parse(warp[4..], System.Globalization.CultureInfo.InvariantCulture)) : completed.Select(o =>
    {
        var p = Math.Clamp(o.Value, 1e-4, 1 - 1e-4);
        var slope = 1 / (p * (1 - p));
        return new Observation(o.Point, Math.Log(p / (1 - p)), o.NoiseVariance * slope * slope);
    }).ToList();

    private static List<Observation> Clip(IReadOnlyList<Observation> completed, double quantile)
    {
        var sorted = completed.Select(o => o.Value).Order().ToList();
        var floor = sorted[(int)Math.Floor(quantile * (sorted.Count - 1))];
        return completed.Select(o => o.Value >= floor ? o : new Observation(o.Point, floor, o.NoiseVariance)).ToList();
    }

    private static List<Observation> Copula(IReadOnlyList<Observation> completed)
    {
        var n = completed.Count;
        var order = completed.Select((o, i) => (o.Value, i)).OrderBy(t => t.Value).Select(t => t.i).ToArray();
        var z = new double[n];
        for (var r = 0; r < n; r++)
        {
            z[order[r]] = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, (r + 0.5) / n);
        }

        return completed.Select((o, i) => new Observation(o.Point, z[i], null)).ToList();
    }
}
