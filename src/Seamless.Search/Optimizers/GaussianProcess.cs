using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.LinearAlgebra.Factorization;
using MathNet.Numerics.Optimization;
using System.Numerics.Tensors;

namespace Seamless.Search.Optimizers;

/// <summary>
/// A Gaussian-process regression model over the unit cube with a Matérn-5/2 ARD kernel, a learned noise term and,
/// optionally, known per-observation noise (scores that are estimates). Targets are standardised; hyperparameters
/// maximise the log marginal likelihood plus a dimension-scaled log-normal length-scale prior (Hvarfner et al.
/// 2024, "Vanilla Bayesian optimization performs great in high dimensions") and log-normal priors on the signal and
/// noise variances, by L-BFGS on analytic gradients.
/// </summary>
public sealed class GaussianProcess
{
    private const double MinNoise = 1e-6;
    private readonly double[][] _x;
    private readonly double[] _inverseLengthScales;
    private readonly double[]? _additiveInverseLengthScales;
    private readonly double[] _alpha;
    private readonly double[,] _lower;
    private readonly Vector<double> _y;

    private GaussianProcess(double[][] x, double mean, double scale, double[] logParameters, Cholesky<double> cholesky, Vector<double> y)
        : this(x, mean, scale, logParameters, cholesky.Factor.ToArray(), y, cholesky.Solve(y))
    {
    }

    private GaussianProcess(double[][] x, double mean, double scale, double[] logParameters, double[,] lower, Vector<double> y, Vector<double> alpha)
    {
        _x = x;
        Mean = mean;
        Scale = scale;
        LogParameters = logParameters;
        var d = x[0].Length;
        _inverseLengthScales = logParameters[..d].Select(l => Math.Exp(-l)).ToArray();
        SignalVariance = Math.Exp(logParameters[d]);
        NoiseVariance = Math.Exp(logParameters[d + 1]);
        if (logParameters.Length == AdditiveLength(d))
        {
            _additiveInverseLengthScales = logParameters[(d + 2)..((2 * d) + 2)].Select(l => Math.Exp(-l)).ToArray();
            AdditiveVariance = Math.Exp(logParameters[(2 * d) + 2]);
        }
        _alpha = alpha.ToArray();
        _lower = lower;
        _y = y;
    }

    /// <summary>
    /// log ℓ₁…log ℓ_d, log σ_f², log σ_n² (standardised units), then for an additive model log λ₁…log λ_d, log σ_a²:
    /// the warm start for the next fit.
    /// </summary>
    public double[] LogParameters { get; }

    public double SignalVariance { get; }

    /// <summary>Learned noise variance, in standardised units.</summary>
    public double NoiseVariance { get; }

    public double Mean { get; }

    public double Scale { get; }

    public IReadOnlyList<double> LengthScales => _inverseLengthScales.Select(v => 1 / v).ToList();

    /// <summary>The additive component's variance σ_a² (0 without one).</summary>
    public double AdditiveVariance { get; }

    /// <summary>The additive component's per-dimension length-scales λᵢ (empty without one).</summary>
    public IReadOnlyList<double> AdditiveLengthScales => _additiveInverseLengthScales?.Select(v => 1 / v).ToList() ?? [];

    public bool IsAdditive => _additiveInverseLengthScales is not null;

    private static int AdditiveLength(int d) => (2 * d) + 3;

    /// <summary>[ℓ, σ_f², σ_n²(, λ, σ_a²)] from a full parameter vector (the first ℓ and λ).</summary>
    private static double[] Tie(double[] full, int d, bool additive) =>
        additive ? [full[0], full[d], full[d + 1], full[d + 2], full[(2 * d) + 2]] : [full[0], full[d], full[d + 1]];

    private static double[] Untie(double[] tied, int d, bool additive)
    {
        var full = new double[additive ? AdditiveLength(d) : d + 2];
        Array.Fill(full, tied[0], 0, d);
        full[d] = tied[1];
        full[d + 1] = tied[2];
        if (additive)
        {
            Array.Fill(full, tied[3], d + 2, d);
            full[(2 * d) + 2] = tied[4];
        }

        return full;
    }

    /// <summary>
    /// The posterior over tied parameters: the full one at the expanded vector, gradients summed over the tied
    /// entries, and each shared length-scale's prior counted once (the full posterior counts it per dimension).
    /// </summary>
    internal static (double Value, double[] Gradient) TiedNegativeLogPosterior(double[][] x, Vector<double> y, double[] known, double[] tied, bool additive) =>
        TiedNegativeLogPosterior(new PairDifferences(x), y, known, tied, additive);

    private static (double Value, double[] Gradient) TiedNegativeLogPosterior(PairDifferences differences, Vector<double> y, double[] known, double[] tied, bool additive)
    {
        var d = differences.Dimensions;
        var (value, full) = NegativeLogPosterior(differences, y, known, Untie(tied, d, additive));
        var gradient = new double[tied.Length];
        var z = (tied[0] - PriorMean(d)) / PriorScale;
        value -= (d - 1) * 0.5 * z * z;
        gradient[0] = full.Take(d).Sum() - ((d - 1) * z / PriorScale);
        gradient[1] = full[d];
        gradient[2] = full[d + 1];
        if (additive)
        {
            var za = (tied[3] - AdditivePriorMean) / AdditivePriorScale;
            value -= (d - 1) * 0.5 * za * za;
            gradient[3] = full.Skip(d + 2).Take(d).Sum() - ((d - 1) * za / AdditivePriorScale);
            gradient[4] = full[(2 * d) + 2];
        }

        return (value, gradient);
    }

    /// <param name="additive">
    /// Adds a first-order additive component σ_a²·(1/d)·Σᵢ k(xᵢ, x′ᵢ; λᵢ) to the ARD kernel (Duvenaud et al. 2011,
    /// "Additive Gaussian processes"): a score that is mostly a sum of per-block effects is learned from few points,
    /// and a sharp effect in one weight shortens that weight's λ without making every pair of points unrelated, which
    /// is what a short ARD length-scale does.
    /// </param>
    /// <param name="tied">
    /// One length-scale shared by every dimension (and one λ for the additive component), as bayes_opt's isotropic
    /// Matérn: 2 (or 4) kernel hyperparameters instead of d (or 2d), which a few dozen points can pin down.
    /// </param>
    public static GaussianProcess Fit(IReadOnlyList<Observation> observations, double[]? warmStart = null, int maxIterations = 100, bool optimise = true, bool additive = false, bool tied = false)
    {
        var x = observations.Select(o => o.Point).ToArray();
        var d = x[0].Length;
        var ys = observations.Select(o => o.Value).ToArray();
        var mean = ys.Average();
        var std = Math.Sqrt(ys.Select(v => (v - mean) * (v - mean)).Sum() / Math.Max(1, ys.Length - 1));
        var scale = std > 1e-12 ? std : 1;
        var y = DenseVector.OfEnumerable(ys.Select(v => (v - mean) / scale));
        var known = observations.Select(o => (o.NoiseVariance ?? 0) / (scale * scale)).ToArray();

        var length = additive ? AdditiveLength(d) : d + 2;
        var start = warmStart is { } w && w.Length == length ? (double[])w.Clone() : DefaultStart(d, additive);
        var best = start;
        if (optimise && x.Length >= 2)
        {
            var differences = new PairDifferences(x);
            var objective = ObjectiveFunction.Gradient(p =>
            {
                var (value, gradient) = tied ? TiedNegativeLogPosterior(differences, y, known, p.ToArray(), additive) : NegativeLogPosterior(differences, y, known, p.ToArray());
                return (value, DenseVector.OfArray(gradient));
            });

            // A warm start from the previous fit (one more observation) converges in a few iterations; the
            // prior-centred start is tried only when there is no warm start, to keep proposals within a second.
            foreach (var candidate in new[] { start })
            {
                try
                {
                    var minimizer = new LimitedMemoryBfgsMinimizer(1e-3, 1e-6, 1e-6, 8, warmStart is null ? maxIterations : Math.Min(maxIterations, 30));
                    var result = minimizer.FindMinimum(objective, DenseVector.OfArray(tied ? Tie(candidate, d, additive) : candidate));
                    var p = Clamp(tied ? Untie(result.MinimizingPoint.ToArray(), d, additive) : result.MinimizingPoint.ToArray(), d);
                    if (NegativeLogPosterior(differences, y, known, p).Value < NegativeLogPosterior(differences, y, known, best).Value)
                    {
                        best = p;
                    }
                }
                catch (Exception e) when (e is MaximumIterationsException or InnerOptimizationException or EvaluationException or ArgumentException)
                {
                    // Keep the best point so far; a failed restart only costs model quality, never the proposal.
                }
            }
        }

        best = Clamp(best, d);
        var k = Covariance(x, best, known);
        var cholesky = k.Cholesky();
        return new GaussianProcess(x, mean, scale, best, cholesky, y);
    }

    /// <summary>Posterior mean and variance of the latent function at <paramref name="point"/>, in the original units.</summary>
    public (double Mean, double Variance) Predict(ReadOnlySpan<double> point) => Predict(point, withVariance: true);

    /// <summary>The posterior mean alone: O(n·d), where the variance's triangular solve is O(n²).</summary>
    public double PredictMean(ReadOnlySpan<double> point) => Predict(point, withVariance: false).Mean;

    private (double Mean, double Variance) Predict(ReadOnlySpan<double> point, bool withVariance)
    {
        var n = _x.Length;
        Span<double> v = n <= 512 ? stackalloc double[n] : new double[n];
        double mean = 0;
        if (_additiveInverseLengthScales is { } lambda)
        {
            AdditiveKernel.Row(point, _x, lambda, v);
            TensorPrimitives.Multiply(v, AdditiveVariance, v);
        }
        else
        {
            v.Clear();
        }

        Span<double> scaled = point.Length <= 256 ? stackalloc double[point.Length] : new double[point.Length];
        for (var i = 0; i < n; i++)
        {
            TensorPrimitives.Subtract(point, _x[i], scaled);
            TensorPrimitives.Multiply(scaled, _inverseLengthScales, scaled);
            v[i] += SignalVariance * MaternKernel.Value(TensorPrimitives.Dot(scaled, scaled));
        }

        mean = TensorPrimitives.Dot(v, _alpha);
        if (!withVariance)
        {
            return (Mean + (Scale * mean), double.NaN);
        }

        var variance = Math.Max(1e-12, SignalVariance + AdditiveVariance - SolveLowerInPlace(v));
        return (Mean + (Scale * mean), Scale * Scale * variance);
    }

    /// <summary>
    /// Posterior mean and variance with their gradients in x. For Matérn-5/2,
    /// ∂k/∂xₐ = −σ_f²·(5/3)·(1 + √5·r)·exp(−√5·r)·(xₐ − x′ₐ)/ℓₐ²; ∂σ²/∂x = −2·(K⁻¹k*)ᵀ·∂k*/∂x.
    /// </summary>
    public (double Mean, double Variance) PredictWithGradient(ReadOnlySpan<double> point, Span<double> meanGradient, Span<double> varianceGradient)
    {
        if (IsAdditive)
        {
            throw new NotSupportedException("gradients of an additive model's posterior are not implemented");
        }

        var n = _x.Length;
        var d = point.Length;
        var k = new double[n];
        var factor = new double[n];
        double mean = 0;
        for (var i = 0; i < n; i++)
        {
            var r2 = MaternKernel.ScaledDistanceSquared(point, _x[i], _inverseLengthScales);
            k[i] = SignalVariance * MaternKernel.Value(r2);
            factor[i] = -SignalVariance * MaternKernel.LengthScaleFactor(r2);
            mean += k[i] * _alpha[i];
        }

        // v = L⁻¹k*, then β = L⁻ᵀv = K⁻¹k*.
        var v = (double[])k.Clone();
        var reduction = SolveLowerInPlace(v);

        var beta = v;
        for (var i = n - 1; i >= 0; i--)
        {
            var s = beta[i];
            for (var j = i + 1; j < n; j++)
            {
                s -= _lower[j, i] * beta[j];
            }

            beta[i] = s / _lower[i, i];
        }

        meanGradient.Clear();
        varianceGradient.Clear();
        for (var i = 0; i < n; i++)
        {
            var am = factor[i] * _alpha[i];
            var av = -2 * factor[i] * beta[i];
            for (var a = 0; a < d; a++)
            {
                var g = (point[a] - _x[i][a]) * _inverseLengthScales[a] * _inverseLengthScales[a];
                meanGradient[a] += am * g;
                varianceGradient[a] += av * g;
            }
        }

        for (var a = 0; a < d; a++)
        {
            meanGradient[a] *= Scale;
            varianceGradient[a] *= Scale * Scale;
        }

        var variance = Math.Max(1e-12, SignalVariance - reduction);
        return (Mean + (Scale * mean), Scale * Scale * variance);
    }

    /// <summary>
    /// Mean squared leave-one-out error of the posterior mean at the observations, in the original units, with the
    /// hyperparameters held: the residual of observation i without it is αᵢ / [K⁻¹]ᵢᵢ (Rasmussen and Williams 2006,
    /// eq. 5.12). [K⁻¹]ᵢᵢ is the squared norm of column i of L⁻¹, found by solving L·w = eⱼ for each j.
    /// </summary>
    public double LeaveOneOutError()
    {
        var n = _x.Length;
        var diagonal = new double[n];
        var w = new double[n];
        for (var j = 0; j < n; j++)
        {
            // Column j of L⁻¹ is zero above row j; rows i ≥ j by forward substitution.
            Array.Clear(w);
            w[j] = 1 / _lower[j, j];
            diagonal[j] += w[j] * w[j];
            for (var i = j + 1; i < n; i++)
            {
                var sum = 0.0;
                for (var k = j; k < i; k++)
                {
                    sum -= _lower[i, k] * w[k];
                }

                w[i] = sum / _lower[i, i];
                diagonal[j] += w[i] * w[i];
            }
        }

        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            var residual = Scale * _alpha[i] / diagonal[i];
            total += residual * residual;
        }

        return total / n;
    }

    /// <summary>Forward substitution L·w = b in place (b becomes w); returns wᵀw, the posterior variance reduction.</summary>
    private double SolveLowerInPlace(Span<double> b)
    {
        double reduction = 0;
        for (var i = 0; i < b.Length; i++)
        {
            // Row i of L left of the diagonal is contiguous in the row-major array: one vectorised dot product.
            var row = System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref _lower[i, 0], i);
            b[i] = (b[i] - TensorPrimitives.Dot(row, b[..i])) / _lower[i, i];
            reduction += b[i] * b[i];
        }

        return reduction;
    }

    /// <summary>
    /// For long histories (reports, recommendations over hundreds of trials): hyperparameters fitted on at most
    /// <paramref name="sample"/> observations spread evenly over the list (each marginal-likelihood step costs O(n³)),
    /// then the model conditioned on all of them with those hyperparameters held fixed.
    /// </summary>
    public static GaussianProcess FitSubsampled(IReadOnlyList<Observation> observations, int sample = 200)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.Count <= sample)
        {
            return Fit(observations);
        }

        var step = (int)Math.Ceiling((double)observations.Count / sample);
        var hyper = Fit(observations.Where((_, i) => i % step == 0).ToList()).LogParameters;
        return Fit(observations, hyper, optimise: false);
    }

    /// <summary>Observations a read-side model conditions on at most (<see cref="FitBounded"/>): one O(n³) factorisation stays well under a second.</summary>
    public const int MaxConditioned = 1000;

    /// <summary>
    /// For very long histories (a 10 000-trial study's report or dashboard): as <see cref="FitSubsampled"/>, but
    /// conditioned on at most <paramref name="maxConditioned"/> observations — the better half of that budget by value
    /// (where a recommendation is decided) and the rest spread evenly over the history (the landscape's shape), in their
    /// original order so prefixes still mean "the history up to here". <c>Used</c> lists the indices kept, ascending.
    /// Conditioning on all 10 000 cost one 10 000² Cholesky factor: minutes and 800 MB.
    /// </summary>
    public static (GaussianProcess Model, int[] Used) FitBounded(IReadOnlyList<Observation> observations, int sample = 200, int maxConditioned = MaxConditioned)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConditioned, 2);
        if (observations.Count <= maxConditioned)
        {
            return (FitSubsampled(observations, sample), Enumerable.Range(0, observations.Count).ToArray());
        }

        var best = maxConditioned / 2;
        var used = new SortedSet<int>(Enumerable.Range(0, observations.Count).OrderByDescending(i => observations[i].Value).ThenBy(i => i).Take(best));
        var step = (double)observations.Count / (maxConditioned - best);
        for (var k = 0; used.Count < maxConditioned && k < maxConditioned; k++)
        {
            used.Add(Math.Min(observations.Count - 1, (int)(k * step)));
        }

        for (var i = observations.Count - 1; used.Count < maxConditioned; i--)
        {
            used.Add(i);
        }

        var kept = used.ToArray();
        return (FitSubsampled(kept.Select(i => observations[i]).ToList(), sample), kept);
    }

    /// <summary>
    /// The model conditioned on its first <paramref name="n"/> observations only, with the same hyperparameters and
    /// standardisation. The leading n×n block of a Cholesky factor is the factor of the covariance's leading block, so
    /// this costs two triangular solves (O(n²)), not a factorisation: a study's whole history from one fit.
    /// </summary>
    public GaussianProcess Prefix(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, _x.Length);
        if (n == _x.Length)
        {
            return this;
        }

        var lower = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                lower[i, j] = _lower[i, j];
            }
        }

        // α = L⁻ᵀ·(L⁻¹·y) on the prefix.
        var a = new double[n];
        for (var i = 0; i < n; i++)
        {
            var s = _y[i];
            for (var j = 0; j < i; j++)
            {
                s -= lower[i, j] * a[j];
            }

            a[i] = s / lower[i, i];
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var s = a[i];
            for (var j = i + 1; j < n; j++)
            {
                s -= lower[j, i] * a[j];
            }

            a[i] = s / lower[i, i];
        }

        return new GaussianProcess(_x[..n], Mean, Scale, LogParameters, lower, _y.SubVector(0, n), DenseVector.OfArray(a));
    }

    /// <summary>The same model with extra fantasised observations (kriging believer), hyperparameters unchanged.</summary>
    public GaussianProcess WithFantasies(IReadOnlyList<Observation> observations, IReadOnlyList<double[]> points)
    {
        if (points.Count == 0)
        {
            return this;
        }

        var all = observations.Concat(points.Select(p => new Observation(p, Predict(p).Mean))).ToList();
        return FitFixed(all, LogParameters, Mean, Scale);
    }

    internal static GaussianProcess FitFixed(IReadOnlyList<Observation> observations, double[] logParameters, double mean, double scale)
    {
        var x = observations.Select(o => o.Point).ToArray();
        var y = DenseVector.OfEnumerable(observations.Select(o => (o.Value - mean) / scale));
        var known = observations.Select(o => (o.NoiseVariance ?? 0) / (scale * scale)).ToArray();
        var cholesky = Covariance(x, logParameters, known).Cholesky();
        return new GaussianProcess(x, mean, scale, logParameters, cholesky, y);
    }

    private static double[] DefaultStart(int d, bool additive)
    {
        var p = new double[additive ? AdditiveLength(d) : d + 2];
        Array.Fill(p, PriorMean(d));
        p[d] = additive ? Math.Log(0.5) : 0;
        p[d + 1] = Math.Log(1e-2);
        if (additive)
        {
            for (var a = 0; a < d; a++)
            {
                p[d + 2 + a] = AdditivePriorMean;
            }

            p[(2 * d) + 2] = Math.Log(0.5);
        }

        return p;
    }

    /// <summary>
    /// The additive component's 1-D length-scales: log-normal around 0.5 of the unit range, scale 1. One weight's effect
    /// on the score is smooth over its range (a well and its shoulders), which needs λ of a few tenths.
    /// </summary>
    private static readonly double AdditivePriorMean = Math.Log(0.5);

    private const double AdditivePriorScale = 1.0;

    /// <summary>(1/d)·Σᵢ k₅/₂(|aᵢ − bᵢ|·λᵢ⁻¹).</summary>
    private static double AdditiveMean(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double[] inverseLengthScales)
    {
        Span<double> difference = a.Length <= 256 ? stackalloc double[a.Length] : new double[a.Length];
        System.Numerics.Tensors.TensorPrimitives.Subtract(a, b, difference);
        System.Numerics.Tensors.TensorPrimitives.Abs(difference, difference);
        return AdditiveKernel.Mean(difference, inverseLengthScales, null, 0, null);
    }

    // Log-normal prior on ℓ with location √2 + ½·ln d and scale √3 (Hvarfner et al. 2024).
    private static double PriorMean(int d) => Math.Sqrt(2) + (0.5 * Math.Log(d));

    private const double PriorScale = 1.7320508075688772;

    private const double MinLengthScale = 1e-3;

    private static double[] Clamp(double[] p, int d)
    {
        var c = (double[])p.Clone();
        for (var i = 0; i < d; i++)
        {
            c[i] = Math.Clamp(c[i], Math.Log(MinLengthScale), Math.Log(1e3));
        }

        c[d] = Math.Clamp(c[d], Math.Log(1e-3), Math.Log(1e2));
        c[d + 1] = Math.Clamp(c[d + 1], Math.Log(MinNoise), Math.Log(2));
        if (p.Length == AdditiveLength(d))
        {
            for (var i = d + 2; i < (2 * d) + 2; i++)
            {
                c[i] = Math.Clamp(c[i], Math.Log(1e-2), Math.Log(1e2));
            }

            c[(2 * d) + 2] = Math.Clamp(c[(2 * d) + 2], Math.Log(1e-3), Math.Log(1e2));
        }

        return c;
    }

    private static Matrix<double> Covariance(double[][] x, double[] p, double[] known)
    {
        var d = x[0].Length;
        var inv = p[..d].Select(l => Math.Exp(-l)).ToArray();
        var sf = Math.Exp(p[d]);
        var sn = Math.Exp(p[d + 1]);
        var additive = p.Length == AdditiveLength(d);
        var lambda = additive ? p[(d + 2)..((2 * d) + 2)].Select(l => Math.Exp(-l)).ToArray() : null;
        var sa = additive ? Math.Exp(p[(2 * d) + 2]) : 0;
        var n = x.Length;
        var k = new DenseMatrix(n, n);
        for (var i = 0; i < n; i++)
        {
            k[i, i] = sf + sa + sn + known[i] + 1e-9;
            for (var j = 0; j < i; j++)
            {
                var v = sf * MaternKernel.Value(MaternKernel.ScaledDistanceSquared(x[i], x[j], inv));
                if (lambda is not null)
                {
                    v += sa * AdditiveMean(x[i], x[j], lambda);
                }

                k[i, j] = v;
                k[j, i] = v;
            }
        }

        return k;
    }

    /// <summary>−(log marginal likelihood + log prior) and its gradient (R&amp;W eq. 5.9) in the log parameters.</summary>
    internal static (double Value, double[] Gradient) NegativeLogPosterior(double[][] x, Vector<double> y, double[] known, double[] raw) =>
        NegativeLogPosterior(new PairDifferences(x), y, known, raw);

    private static (double Value, double[] Gradient) NegativeLogPosterior(PairDifferences differences, Vector<double> y, double[] known, double[] raw)
    {
        var n = differences.Count;
        var d = differences.Dimensions;
        var p = Clamp(raw, d);
        var gradient = new double[p.Length];
        var inv2 = p[..d].Select(l => Math.Exp(-2 * l)).ToArray();
        var sf = Math.Exp(p[d]);
        var sn = Math.Exp(p[d + 1]);
        var additive = p.Length == AdditiveLength(d);
        var lambda = additive ? p[(d + 2)..((2 * d) + 2)].Select(l => Math.Exp(-l)).ToArray() : [];
        var sa = additive ? Math.Exp(p[(2 * d) + 2]) : 0;
        var r2 = new double[n * (n - 1) / 2];
        var ard = new double[n * (n - 1) / 2];
        var k = new double[n, n];
        for (int i = 0, pair = 0; i < n; i++)
        {
            k[i, i] = sf + sa + sn + known[i] + 1e-9;
            for (var j = 0; j < i; j++, pair++)
            {
                r2[pair] = differences.ScaledDistanceSquared(pair, inv2);
                ard[pair] = sf * MaternKernel.Value(r2[pair]);
                k[i, j] = k[j, i] = ard[pair] + (additive ? sa * differences.AdditiveMean(pair, lambda) : 0);
            }
        }

        Cholesky<double> cholesky;
        try
        {
            cholesky = DenseMatrix.OfArray(k).Cholesky();
        }
        catch (ArgumentException)
        {
            return (1e10, gradient);
        }

        var alpha = cholesky.Solve(y);
        var logDet = 0.0;
        for (var i = 0; i < n; i++)
        {
            logDet += Math.Log(cholesky.Factor[i, i]);
        }

        var nll = (0.5 * y.DotProduct(alpha)) + logDet + (0.5 * n * Math.Log(2 * Math.PI));
        var inverse = cholesky.Solve(DenseMatrix.CreateIdentity(n));

        // W = ααᵀ − K⁻¹; ∂(−log L)/∂θ = −½ tr(W ∂K/∂θ).
        var inverseArray = inverse.ToArray();
        var lengthGradient = new double[d];
        var additiveGradient = new double[d];
        for (int i = 0, pair = 0; i < n; i++)
        {
            var wii = (alpha[i] * alpha[i]) - inverseArray[i, i];
            gradient[d] -= 0.5 * wii * sf;
            gradient[d + 1] -= 0.5 * wii * sn;
            if (additive)
            {
                gradient[(2 * d) + 2] -= 0.5 * wii * sa;
            }

            for (var j = 0; j < i; j++, pair++)
            {
                var wij = (alpha[i] * alpha[j]) - inverseArray[i, j];
                gradient[d] -= wij * ard[pair];
                differences.AddScaled(pair, wij * sf * MaternKernel.LengthScaleFactor(r2[pair]), lengthGradient);
                if (additive)
                {
                    // ∂K/∂log σ_a² is the additive part itself; ∂K/∂log λₐ = (σ_a²/d)·(5/3)(1 + √5r)e^(−√5r)·r², r = |Δₐ|/λₐ.
                    gradient[(2 * d) + 2] -= wij * (k[i, j] - ard[pair]);
                    differences.AdditiveMeanWithGradient(pair, lambda, wij * sa / d, additiveGradient);
                }
            }
        }

        for (var a = 0; a < d; a++)
        {
            gradient[a] -= lengthGradient[a] * inv2[a];
            if (additive)
            {
                gradient[d + 2 + a] -= additiveGradient[a];
            }
        }

        var mu = PriorMean(d);
        for (var a = 0; a < d; a++)
        {
            var z = (p[a] - mu) / PriorScale;
            nll += 0.5 * z * z;
            gradient[a] += z / PriorScale;
        }

        // Without these the "all noise, flat function" explanation wins on small data: log σ_n² ~ N(−4, 1) as in
        // BoTorch's defaults, and log σ_f² ~ N(0, 1) around the standardised variance.
        var zn = p[d + 1] + 4;
        nll += 0.5 * zn * zn;
        gradient[d + 1] += zn;
        nll += 0.5 * p[d] * p[d];
        gradient[d] += p[d];
        if (additive)
        {
            for (var a = 0; a < d; a++)
            {
                var z = (p[d + 2 + a] - AdditivePriorMean) / AdditivePriorScale;
                nll += 0.5 * z * z;
                gradient[d + 2 + a] += z / AdditivePriorScale;
            }

            nll += 0.5 * p[(2 * d) + 2] * p[(2 * d) + 2];
            gradient[(2 * d) + 2] += p[(2 * d) + 2];
        }

        // Where a parameter sits on a bound pushing outward, its gradient is zeroed so L-BFGS stops pressing on it.
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] != raw[i])
            {
                gradient[i] = 0;
            }
        }

        return (nll, gradient);
    }
}
