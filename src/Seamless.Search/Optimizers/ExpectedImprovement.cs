namespace Seamless.Search.Optimizers;

/// <summary>
/// log EI for maximisation: EI = σ·h(z), z = (μ − f*)/σ, h(z) = φ(z) + z·Φ(z). For z ≪ 0, h(z) ≈ φ(z)/z² (Mills
/// ratio), so log h stays finite where EI itself underflows (Ament et al. 2023, "Unexpected improvements to
/// expected improvement").
/// </summary>
public static class ExpectedImprovement
{
    private static readonly double LogSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

    public static double Log(double mean, double variance, double incumbent)
    {
        var sigma = Math.Sqrt(variance);
        var z = (mean - incumbent) / sigma;
        return Math.Log(sigma) + LogH(z);
    }

    /// <summary>log EI and its gradient from the posterior's mean and variance gradients.</summary>
    public static double LogWithGradient(double mean, double variance, double incumbent, ReadOnlySpan<double> meanGradient, ReadOnlySpan<double> varianceGradient, Span<double> gradient)
    {
        var sigma = Math.Sqrt(variance);
        var z = (mean - incumbent) / sigma;
        var logH = LogH(z);

        // d log h / dz = Φ(z)/h(z), computed in log space so it stays finite for z ≪ 0.
        var cdf = 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-z / Math.Sqrt(2));
        var ratio = cdf > 0 ? Math.Exp(Math.Log(cdf) - logH) : -z;
        for (var a = 0; a < gradient.Length; a++)
        {
            var dSigma = varianceGradient[a] / (2 * sigma);
            var dz = (meanGradient[a] - (z * dSigma)) / sigma;
            gradient[a] = (dSigma / sigma) + (ratio * dz);
        }

        return Math.Log(sigma) + logH;
    }

    internal static double LogH(double z)
    {
        if (z > -5)
        {
            var phi = Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);
            var cdf = 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-z / Math.Sqrt(2));
            return Math.Log(Math.Max(phi + (z * cdf), 1e-300));
        }

        // h(z) = φ(z)·(1 − z·R(z)) with Mills ratio R; asymptotically φ(z)/z²·(1 − 3/z² + 15/z⁴).
        var z2 = z * z;
        return (-0.5 * z2) - LogSqrt2Pi - Math.Log(z2) + Math.Log(1 - (3 / z2) + (15 / (z2 * z2)));
    }
}
