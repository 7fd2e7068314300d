namespace Seamless.Benchmarks.Landscapes;

/// <summary>
/// A noisy synthetic function shaped like a merge landscape: tag accuracy p(x) = σ(b + Σ aᵢ·−(xᵢ − cᵢ)² + small
/// pairwise terms) over the unit cube, with an interior optimum at c, a quarter of the dimensions irrelevant
/// (aᵢ = 0), and observations drawn as binomial proportions of n pairs (as a tag-accuracy estimate is).
/// </summary>
internal sealed class SyntheticLandscape : ILandscape
{
    private readonly double[] _a;
    private readonly double[] _c;
    private readonly (int I, int J, double B)[] _pairs;
    private readonly double _bias;
    private readonly double _scale;

    public SyntheticLandscape(int dimensions, int seed, long pairs = 20_000)
    {
        var random = new Random(seed);
        Dimensions = dimensions;
        Pairs = pairs;
        _a = Enumerable.Range(0, dimensions).Select(i => random.NextDouble() < 0.25 ? 0 : 0.5 + (2.5 * random.NextDouble())).ToArray();
        _c = Enumerable.Range(0, dimensions).Select(_ => 0.2 + (0.6 * random.NextDouble())).ToArray();
        _pairs = Enumerable.Range(0, dimensions).Select(_ => (random.Next(dimensions), random.Next(dimensions), 0.6 * (random.NextDouble() - 0.5))).Where(p => p.Item1 != p.Item2).ToArray();

        // Optimum accuracy 0.72, and a typical random point around 0.55, like the original system's gain of a third.
        _bias = Math.Log(0.72 / 0.28);

        // Scaled by 1/d so that a uniformly random point sits near accuracy 0.55 whatever the dimension.
        _scale = 5.0 / dimensions;
    }

    public int Dimensions { get; }

    public long Pairs { get; }

    public double Optimum => Accuracy(_c);

    public double Accuracy(IReadOnlyList<double> x)
    {
        var s = _bias;
        for (var i = 0; i < Dimensions; i++)
        {
            var u = x[i] - _c[i];
            s -= _scale * _a[i] * u * u;
        }

        foreach (var (i, j, b) in _pairs)
        {
            s += _scale * b * (x[i] - _c[i]) * (x[j] - _c[j]);
        }

        return 1 / (1 + Math.Exp(-s));
    }

    public double Observe(IReadOnlyList<double> x, Random random)
    {
        var p = Accuracy(x);
        var g = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Math.Clamp(p + (g * Math.Sqrt(p * (1 - p) / Pairs)), 0, 1);
    }

    public double NoiseVariance(double y) => y * (1 - y) / Pairs;
}
