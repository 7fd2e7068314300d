namespace Seamless.Benchmarks.Landscapes;

/// <summary>
/// One seeded instance of a <see cref="LandscapeFamily"/>: tag accuracy over the block weights of a merge,
/// p(w) = σ(β + α·s(w)), where w = low + x·(high − low) maps the unit cube onto the family's bounds and
/// s is a sum of
/// <list type="bullet">
/// <item>per-weight concave effects −aᵢ·ρ((wᵢ − cᵢ)/range) with ρ the pseudo-Huber loss δ²(√(1 + (u/δ)²) − 1): a bowl
/// near the peak, linear far from it (a block pushed past its sweet spot degrades steadily, not quadratically);</item>
/// <item>for bimodal weights, the better of two such wells (a block that helps at two different strengths);</item>
/// <item>bounded interactions β·tanh(uᵢ/τ)·tanh(uⱼ/τ) between neighbouring blocks of one model and the same block
/// across models;</item>
/// <item>for ridge families, the effect of a block taken on the sum of its weights over the models (how much of the
/// base is replaced matters more than which model replaces it), with a weak effect of the split;</item>
/// <item>distortion penalties: quadratic once a block's weights summed over the models pass a threshold, and once the
/// total |w| passes a global one (a merge that moves too far from the base breaks anatomy).</item>
/// </list>
/// α and β are set after the optimum w* of s is found numerically, so that p(w*) is the family's top accuracy and the
/// base (w = 0) scores the family's base accuracy; the optimum's location does not depend on them. Random points score
/// wherever s puts them (the families are drawn so that they score near or below the base). Observations are binomial proportions of <see cref="Pairs"/> (prompt tag, image) pairs.
/// </summary>
internal sealed class MergeLandscape : ILandscape
{
    private readonly LandscapeFamily _family;
    private readonly double[] _a;
    private readonly double[] _c;
    private readonly double[] _c2;
    private readonly double[] _gap;
    private readonly double[] _delta;
    private readonly (int I, int J, double Beta)[] _interactions;
    private readonly double _range;
    private readonly double _alpha;
    private readonly double _beta;

    public MergeLandscape(LandscapeFamily family, int seed)
    {
        ArgumentNullException.ThrowIfNull(family);
        _family = family;
        Seed = seed;
        // string.GetHashCode is randomised per process; an instance must be the same in every run and process.
        var random = new Random(StableHash(family.Name) ^ (seed * 7919));
        var d = family.Models * family.Blocks;
        Dimensions = d;
        _range = family.High - family.Low;
        var units = family.Ridge ? family.Blocks : d;
        _a = new double[units];
        _c = new double[units];
        _c2 = Enumerable.Repeat(double.NaN, units).ToArray();
        _gap = new double[units];
        _delta = new double[units];

        // Smooth families draw effect sizes and peaks from a random walk along the block index (neighbouring blocks of
        // a UNet do similar work); the others draw them independently.
        var walkA = 0.0;
        var walkC = 0.0;
        for (var u = 0; u < units; u++)
        {
            var block = u % family.Blocks;
            double strength;
            double centre;
            if (family.Smooth)
            {
                if (block == 0)
                {
                    walkA = random.NextDouble();
                    walkC = random.NextDouble();
                }

                walkA = Math.Clamp((0.8 * walkA) + (0.2 * random.NextDouble()) + (0.1 * (random.NextDouble() - 0.5)), 0, 1);
                walkC = Math.Clamp((0.8 * walkC) + (0.2 * random.NextDouble()) + (0.1 * (random.NextDouble() - 0.5)), 0, 1);
                strength = 0.3 + (2.7 * walkA);
                centre = walkC;
            }
            else
            {
                strength = 0.5 + (2.5 * random.NextDouble());
                centre = random.NextDouble();
            }

            // Peaks: interior, or (near-bound families) past a bound so that the optimum sits on it, or (rounds) close
            // to the base's zero weight, because the base already carries the previous rounds' gains.
            var roll = random.NextDouble();
            if (family.NearZero)
            {
                centre = ((0 - family.Low) / _range) + (0.3 * (random.NextDouble() - 0.25));
            }
            else if (roll < family.NearBound)
            {
                centre = random.NextDouble() < 0.75 ? 1.02 + (0.15 * random.NextDouble()) : -0.02 - (0.1 * random.NextDouble());
            }
            else
            {
                centre = 0.1 + (0.8 * centre);
            }

            if (random.NextDouble() < family.Irrelevant)
            {
                strength = 0;
            }
            else if (random.NextDouble() < family.Weak)
            {
                strength *= 0.04;
            }

            _a[u] = strength;

            // A ridge block's peak is a total over the models: how much of the base the block should give up.
            _c[u] = family.Ridge ? family.Low + (0.15 * _range) + (centre * 0.55 * family.Models * _range) : family.Low + (centre * _range);
            _delta[u] = 0.08 + (0.22 * random.NextDouble());
            if (strength > 0 && random.NextDouble() < family.Bimodal)
            {
                // A second well at least a third of the range away, slightly worse.
                var other = centre < 0.5 ? centre + 0.35 + (0.3 * random.NextDouble()) : centre - 0.35 - (0.3 * random.NextDouble());
                _c2[u] = family.Low + (Math.Clamp(other, 0.05, 0.95) * _range);
                _gap[u] = 0.02 + (0.1 * random.NextDouble());
            }
        }

        var interactions = new List<(int, int, double)>();
        for (var m = 0; m < family.Models; m++)
        {
            for (var k = 0; k + 1 < family.Blocks; k++)
            {
                if (random.NextDouble() < family.Neighbour)
                {
                    interactions.Add(((m * family.Blocks) + k, (m * family.Blocks) + k + 1, 1.2 * (random.NextDouble() - 0.4)));
                }
            }
        }

        for (var k = 0; k < family.Blocks; k++)
        {
            for (var m = 0; m + 1 < family.Models; m++)
            {
                if (random.NextDouble() < family.CrossModel)
                {
                    interactions.Add(((m * family.Blocks) + k, ((m + 1) * family.Blocks) + k, 1.2 * (random.NextDouble() - 0.6)));
                }
            }
        }

        _interactions = [.. interactions];
        OptimumPoint = LandscapeOptimum.Find(Inner, d, family.Low, family.High, seed);
        var spread = Inner(OptimumPoint) - Inner(new double[d]);
        if (spread <= 1e-9)
        {
            throw new InvalidOperationException($"landscape {family.Name} seed {seed}: the base is optimal; the generator is broken");
        }

        _alpha = (Logit(family.Top) - Logit(family.BaseAccuracy)) / spread;
        _beta = Logit(family.Top) - (_alpha * Inner(OptimumPoint));
    }

    private static double Logit(double p) => Math.Log(p / (1 - p));

    public string Family => _family.Name;

    public int Seed { get; }

    public int Dimensions { get; }

    public long Pairs => _family.Pairs;

    /// <summary>The maximiser of the noiseless accuracy, in weights.</summary>
    public double[] OptimumPoint { get; }

    public double Optimum => AccuracyOfWeights(OptimumPoint);

    /// <summary>The base model (every weight 0) in the unit cube, clipped: the zeros probe.</summary>
    public double[] ZerosProbe => Enumerable.Repeat(Math.Clamp(-_family.Low / _range, 0, 1), Dimensions).ToArray();

    public double Accuracy(IReadOnlyList<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var w = new double[Dimensions];
        for (var i = 0; i < w.Length; i++)
        {
            w[i] = _family.Low + (Math.Clamp(x[i], 0, 1) * _range);
        }

        return AccuracyOfWeights(w);
    }

    public double AccuracyOfWeights(double[] w)
    {
        var s = _beta + (_alpha * Inner(w));
        return 1 / (1 + Math.Exp(-s));
    }

    public double Observe(IReadOnlyList<double> x, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var p = Accuracy(x);
        var g = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Math.Clamp(p + (g * Math.Sqrt(p * (1 - p) / Pairs)), 0, 1);
    }

    public double NoiseVariance(double y) => y * (1 - y) / Pairs;

    /// <summary>FNV-1a of the name, non-negative.</summary>
    private static int StableHash(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return (int)(hash & 0x7fffffff);
    }

    private static double PseudoHuber(double u, double delta) => delta * delta * (Math.Sqrt(1 + (u * u / (delta * delta))) - 1);

    /// <summary>The un-normalised score s(w), larger is better.</summary>
    private double Inner(double[] w)
    {
        var f = _family;
        double s = 0;
        for (var u = 0; u < _a.Length; u++)
        {
            if (_a[u] == 0)
            {
                continue;
            }

            double value;
            if (f.Ridge)
            {
                // The block's total share over the models, plus a weak preference in how it is split.
                double total = 0;
                for (var m = 0; m < f.Models; m++)
                {
                    total += w[(m * f.Blocks) + u];
                }

                value = total;
            }
            else
            {
                value = w[u];
            }

            // A ridge block's total spans the models' summed range; its effect is measured on that scale.
            var scale = f.Ridge ? _range * f.Models : _range;
            var loss = PseudoHuber((value - _c[u]) / scale, _delta[u]);
            if (!double.IsNaN(_c2[u]))
            {
                loss = Math.Min(loss, PseudoHuber((value - _c2[u]) / scale, _delta[u]) + (_gap[u] * _delta[u]));
            }

            s -= _a[u] * loss;
        }

        if (f.Ridge && f.Models > 1)
        {
            for (var k = 0; k < f.Blocks; k++)
            {
                var split = (w[k] - w[f.Blocks + k]) / _range;
                s -= 0.15 * _a[k] * split * split;
            }
        }

        foreach (var (i, j, beta) in _interactions)
        {
            var ci = f.Ridge ? _c[i % f.Blocks] / f.Models : _c[i];
            var cj = f.Ridge ? _c[j % f.Blocks] / f.Models : _c[j];
            s += 0.15 * beta * Math.Tanh((w[i] - ci) / (0.25 * _range)) * Math.Tanh((w[j] - cj) / (0.25 * _range));
        }

        if (f.BlockThreshold is { } threshold)
        {
            for (var k = 0; k < f.Blocks; k++)
            {
                double total = 0;
                for (var m = 0; m < f.Models; m++)
                {
                    total += w[(m * f.Blocks) + k];
                }

                var excess = (total - threshold) / _range;
                if (excess > 0)
                {
                    s -= 4 * excess * excess;
                }
            }
        }

        if (f.GlobalThreshold is { } global)
        {
            double sum = 0;
            for (var i = 0; i < w.Length; i++)
            {
                sum += Math.Abs(w[i]);
            }

            // The global threshold is a fraction of the largest possible total |w|.
            var limit = global * w.Length * Math.Max(Math.Abs(f.Low), Math.Abs(f.High));
            var excess = (sum - limit) / (w.Length * _range);
            if (excess > 0)
            {
                s -= 10 * excess * excess;
            }
        }

        return s;
    }
}
