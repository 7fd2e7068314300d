using System.Numerics.Tensors;

namespace Seamless.Search.Optimizers;

/// <summary>
/// The first-order additive Matérn-5/2 kernel (1/d)·Σₐ k(rₐ), rₐ = |xₐ − x′ₐ|/λₐ, k(r) = (1 + √5r + 5r²/3)e^(−√5r), with
/// its λ-gradient: the hot loop of an additive Gaussian process (every pair of observations, every candidate point), so
/// it runs on whole rows with <see cref="TensorPrimitives"/>. Tested against the scalar formula.
/// </summary>
public static class AdditiveKernel
{
    private static readonly double Sqrt5 = Math.Sqrt(5);

    [ThreadStatic]
    private static double[]? _r;

    [ThreadStatic]
    private static double[]? _e;

    /// <summary>
    /// (1/d)·Σₐ k(|Δₐ|·λₐ⁻¹). With <paramref name="gradient"/>, adds factor·∂k(rₐ)/∂log λₐ = factor·(5/3)(1 + √5rₐ)e^(−√5rₐ)·rₐ²
    /// to each element; with <paramref name="terms"/>, writes each k(rₐ) there.
    /// </summary>
    public static double Mean(ReadOnlySpan<double> absoluteDifferences, ReadOnlySpan<double> inverseLengthScales, Span<double> gradient, double factor, Span<double> terms)
    {
        var d = absoluteDifferences.Length;
        if (_r is null || _r.Length < d)
        {
            _r = new double[Math.Max(d, 64)];
            _e = new double[Math.Max(d, 64)];
        }

        var r = _r.AsSpan(0, d);
        var e = _e.AsSpan(0, d);
        TensorPrimitives.Multiply(absoluteDifferences, inverseLengthScales, r);
        TensorPrimitives.Multiply(r, -Sqrt5, e);
        TensorPrimitives.Exp(e, e);
        double sum = 0;
        for (var a = 0; a < d; a++)
        {
            var ra = r[a];
            var polynomial = 1 + (Sqrt5 * ra);
            var k = (polynomial + (5.0 / 3.0 * ra * ra)) * e[a];
            sum += k;
            if (!terms.IsEmpty)
            {
                terms[a] = k;
            }

            if (!gradient.IsEmpty)
            {
                gradient[a] += factor * (5.0 / 3.0) * polynomial * e[a] * ra * ra;
            }
        }

        return sum / d;
    }

    [ThreadStatic]
    private static double[]? _blockR;

    [ThreadStatic]
    private static double[]? _blockE;

    [ThreadStatic]
    private static double[]? _blockP;

    /// <summary>
    /// (1/d)·Σₐ k(|pointₐ − rowₐ|·λₐ⁻¹) for every row of <paramref name="rows"/> at once, into <paramref name="output"/>:
    /// one vectorised exponential over all n·d terms instead of n short ones (a posterior prediction's hot loop).
    /// </summary>
    public static void Row(ReadOnlySpan<double> point, double[][] rows, ReadOnlySpan<double> inverseLengthScales, Span<double> output)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var n = rows.Length;
        var d = point.Length;
        var size = n * d;
        if (_blockR is null || _blockR.Length < size)
        {
            _blockR = new double[Math.Max(size, 1024)];
            _blockE = new double[Math.Max(size, 1024)];
            _blockP = new double[Math.Max(size, 1024)];
        }

        var r = _blockR.AsSpan(0, size);
        var e = _blockE!.AsSpan(0, size);
        var p = _blockP!.AsSpan(0, size);
        for (var i = 0; i < n; i++)
        {
            var row = r.Slice(i * d, d);
            TensorPrimitives.Subtract(point, rows[i], row);
            TensorPrimitives.Abs(row, row);
            TensorPrimitives.Multiply(row, inverseLengthScales, row);
        }

        TensorPrimitives.Multiply(r, -Sqrt5, e);
        TensorPrimitives.Exp(e, e);

        // 1 + √5r + 5r²/3 = 1 + r·(√5 + 5r/3), times e.
        TensorPrimitives.Multiply(r, 5.0 / 3.0, p);
        TensorPrimitives.Add(p, Sqrt5, p);
        TensorPrimitives.Multiply(p, r, p);
        TensorPrimitives.Add(p, 1.0, p);
        TensorPrimitives.Multiply(p, e, p);
        for (var i = 0; i < n; i++)
        {
            output[i] = TensorPrimitives.Sum(p.Slice(i * d, d)) / d;
        }
    }

    /// <summary>The same, scalar, for tests: (1/d)·Σₐ k(|aₐ − bₐ|·λₐ⁻¹).</summary>
    public static double Reference(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> inverseLengthScales)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var r = Math.Abs(a[i] - b[i]) * inverseLengthScales[i];
            s += MaternKernel.Value(r * r);
        }

        return s / a.Length;
    }
}
