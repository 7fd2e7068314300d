namespace Seamless.Search.Optimizers;

/// <summary>
/// Matérn ν = 5/2 with one length-scale per dimension (ARD):
/// k(r) = σ²·(1 + √5·r + 5r²/3)·exp(−√5·r), r² = Σ ((xᵢ − x′ᵢ)/ℓᵢ)² (Rasmussen &amp; Williams, eq. 4.17).
/// </summary>
public static class MaternKernel
{
    private static readonly double Sqrt5 = Math.Sqrt(5);

    /// <summary>Squared scaled distance Σ ((aᵢ − bᵢ)/ℓᵢ)².</summary>
    public static double ScaledDistanceSquared(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> inverseLengthScales)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = (a[i] - b[i]) * inverseLengthScales[i];
            s += d * d;
        }

        return s;
    }

    /// <summary>k for a squared scaled distance, unit signal variance.</summary>
    public static double Value(double r2)
    {
        var r = Math.Sqrt(r2);
        return (1 + (Sqrt5 * r) + (5.0 / 3.0 * r2)) * Math.Exp(-Sqrt5 * r);
    }

    /// <summary>
    /// ∂k/∂(log ℓᵢ) = (5/3)·(1 + √5·r)·exp(−√5·r)·((xᵢ − x′ᵢ)/ℓᵢ)², unit signal variance; this is the factor that
    /// multiplies the per-dimension term.
    /// </summary>
    public static double LengthScaleFactor(double r2)
    {
        var r = Math.Sqrt(r2);
        return 5.0 / 3.0 * (1 + (Sqrt5 * r)) * Math.Exp(-Sqrt5 * r);
    }
}
