using MathNet.Numerics.LinearAlgebra;

namespace Seamless.Search.Optimizers;

/// <summary>
/// A response surface for exploitation steps: y ≈ β₀ + Σ βᵢ·xᵢ + Σ γᵢ·xᵢ² fitted by ridge regression, with every
/// curvature γᵢ held at or below −<see cref="MinCurvature"/> (a bowl, as merge landscapes with an interior optimum
/// are near their top), so its maximiser is unique: xᵢ* = −βᵢ / 2γᵢ, clipped to the unit box. A Gaussian process
/// needs many points in 20-odd dimensions before its mean shows a bowl; this surface has 2d + 1 parameters and
/// points at the top of a smooth bowl from far fewer. Pairwise interactions are ignored.
/// </summary>
public sealed class QuadraticSurface
{
    private const double MinCurvature = 1e-3;
    private readonly double[] _linear;
    private readonly double[] _curvature;

    private QuadraticSurface(double intercept, double[] linear, double[] curvature, double leaveOneOutError)
    {
        Intercept = intercept;
        _linear = linear;
        _curvature = curvature;
        LeaveOneOutError = leaveOneOutError;
    }

    public double Intercept { get; }

    /// <summary>
    /// Mean squared leave-one-out error of the ridge fit (before the curvatures are clipped): residual eᵢ / (1 − hᵢᵢ),
    /// with hᵢᵢ the diagonal of the hat matrix H·(HᵀH + λ)⁻¹·Hᵀ (the PRESS statistic). Compared with the Gaussian
    /// process's own leave-one-out error it says which model predicts the landscape better.
    /// </summary>
    public double LeaveOneOutError { get; }

    /// <summary>Fits the surface; <paramref name="ridge"/> shrinks the coefficients (inputs are the unit box).</summary>
    public static QuadraticSurface Fit(IReadOnlyList<Observation> observations, double ridge = 1e-4)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var d = observations[0].Point.Length;
        var n = observations.Count;
        var columns = 1 + (2 * d);
        var h = Matrix<double>.Build.Dense(n, columns);
        var y = Vector<double>.Build.Dense(n);
        for (var r = 0; r < n; r++)
        {
            var x = observations[r].Point;
            h[r, 0] = 1;
            for (var i = 0; i < d; i++)
            {
                // Centred features (x − ½, (x − ½)²) keep the normal equations well conditioned.
                var u = x[i] - 0.5;
                h[r, 1 + i] = u;
                h[r, 1 + d + i] = u * u;
            }

            y[r] = observations[r].Value;
        }

        var penalty = Matrix<double>.Build.DenseIdentity(columns) * ridge * n;
        penalty[0, 0] = 0;
        var normal = h.TransposeThisAndMultiply(h) + penalty;
        var beta = normal.Solve(h.TransposeThisAndMultiply(y));
        var linear = new double[d];
        var curvature = new double[d];
        for (var i = 0; i < d; i++)
        {
            linear[i] = beta[1 + i];
            curvature[i] = Math.Min(beta[1 + d + i], -MinCurvature);
        }

        return new QuadraticSurface(beta[0], linear, curvature, PressError(h, y, beta, normal));
    }

    private static double PressError(Matrix<double> h, Vector<double> y, Vector<double> beta, Matrix<double> normal)
    {
        var fitted = h * beta;
        var inverse = normal.Inverse();
        var total = 0.0;
        for (var r = 0; r < h.RowCount; r++)
        {
            var row = h.Row(r);
            var leverage = row * (inverse * row);
            var residual = (y[r] - fitted[r]) / Math.Max(1e-9, 1 - leverage);
            total += residual * residual;
        }

        return total / h.RowCount;
    }

    /// <summary>The surface's maximiser in the unit box.</summary>
    public double[] Maximiser() =>
        _linear.Select((b, i) => Math.Clamp(0.5 - (b / (2 * _curvature[i])), 0, 1)).ToArray();

    public double Predict(ReadOnlySpan<double> x)
    {
        var s = Intercept;
        for (var i = 0; i < _linear.Length; i++)
        {
            var u = x[i] - 0.5;
            s += (_linear[i] * u) + (_curvature[i] * u * u);
        }

        return s;
    }
}
