namespace Seamless.Evaluation.Scoring;

/// <summary>
/// The ratio estimator p̂ = Σd/Σn over clusters (prompts) and its linearised variance
/// Var(p̂) = P/(P−1) · Σ(d_i − p̂ n_i)² / (Σn)² (Cochran, Sampling Techniques, §6.11): images of one prompt share its
/// tags and are correlated, so pairs are not independent. With one cluster it falls back to the binomial
/// p̂(1−p̂)/n. The 95 % interval is p̂ ± 1.96·√Var, clipped to [0, 1].
/// </summary>
public static class ClusteredInterval
{
    public const double Z95 = 1.959963984540054;

    public static Accuracy Estimate(IReadOnlyList<(long Detected, long Pairs)> clusters)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        long d = 0, n = 0;
        var used = 0;
        foreach (var (ci, ni) in clusters)
        {
            if (ni <= 0)
            {
                continue;
            }

            d += ci;
            n += ni;
            used++;
        }

        if (n == 0)
        {
            return Accuracy.Empty;
        }

        var p = (double)d / n;
        double variance;
        if (used < 2)
        {
            variance = p * (1 - p) / n;
        }
        else
        {
            var ss = 0.0;
            foreach (var (ci, ni) in clusters)
            {
                if (ni > 0)
                {
                    var r = ci - (p * ni);
                    ss += r * r;
                }
            }

            variance = used / (used - 1.0) * ss / ((double)n * n);
        }

        var half = Z95 * Math.Sqrt(variance);
        var binomial = p * (1 - p);
        var effective = variance > 0 && binomial > 0 ? binomial / variance : n;
        return new Accuracy(p, Math.Max(0, p - half), Math.Min(1, p + half), n, d, effective);
    }
}
