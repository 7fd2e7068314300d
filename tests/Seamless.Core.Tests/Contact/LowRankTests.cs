using Seamless.Contact;

namespace Seamless.Tests.Contact;

public sealed class LowRankTests
{
    // U·diag(σ)·Vᵀ with random orthonormal-ish factors and a chosen spectrum, plus optional noise.
    private static float[] MatrixWithSpectrum(int rows, int columns, Func<int, double> sigma, int seed, double noise = 0)
    {
        var rng = new Random(seed);
        var k = Math.Min(rows, columns);
        var data = new double[rows * columns];
        for (var r = 0; r < k; r++)
        {
            var u = Enumerable.Range(0, rows).Select(_ => rng.NextDouble() - 0.5).ToArray();
            var v = Enumerable.Range(0, columns).Select(_ => rng.NextDouble() - 0.5).ToArray();
            var nu = Math.Sqrt(u.Sum(x => x * x));
            var nv = Math.Sqrt(v.Sum(x => x * x));
            var s = sigma(r);
            for (var i = 0; i < rows; i++)
            {
                for (var j = 0; j < columns; j++)
                {
                    data[(i * columns) + j] += s * u[i] / nu * v[j] / nv;
                }
            }
        }

        return data.Select(x => (float)(x + (noise * (rng.NextDouble() - 0.5)))).ToArray();
    }

    private static double FrobeniusError(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());

    [Theory]
    [InlineData(60, 140, 4, 0.7)]
    [InlineData(150, 45, 4, 0.9)]
    [InlineData(80, 80, 8, 0.95)]
    [InlineData(64, 288, 1, 0.97)]
    public void Approximate_Randomized_WithinOnePercentOfOptimalError(int rows, int columns, int rank, double decay)
    {
        var d = MatrixWithSpectrum(rows, columns, i => Math.Pow(decay, i), seed: rows + columns, noise: 0.01);
        var optimal = LowRank.OptimalError(d, rows, columns, rank);
        var randomized = FrobeniusError(d, LowRank.Approximate(d, rows, columns, new LowRankOptions(rank)));
        var exact = FrobeniusError(d, LowRank.Approximate(d, rows, columns, new LowRankOptions(rank, LowRankMethod.Exact)));
        Assert.InRange(exact, optimal * 0.999, optimal * 1.001);
        Assert.InRange(randomized, optimal * 0.999, optimal * 1.01);
    }

    [Fact]
    public void Approximate_ExactlyLowRankInput_ReconstructedExactly()
    {
        var d = MatrixWithSpectrum(40, 90, i => i < 3 ? 10.0 / (i + 1) : 0, seed: 5);
        var approx = LowRank.Approximate(d, 40, 90, new LowRankOptions(3));
        Assert.True(FrobeniusError(d, approx) < 1e-4, $"error {FrobeniusError(d, approx)}");
    }

    [Fact]
    public void Approximate_ResultHasRankR()
    {
        var d = MatrixWithSpectrum(30, 50, i => 1.0, seed: 9);
        var approx = LowRank.Approximate(d, 30, 50, new LowRankOptions(2));
        var s = LowRank.SingularValues(approx, 30, 50);
        Assert.True(s[1] > 0.1);
        Assert.True(s[2] < 1e-4 * s[0], $"third singular value {s[2]}");
    }

    [Fact]
    public void Approximate_RankAtLeastMinDimension_ReturnsInput()
    {
        var d = MatrixWithSpectrum(3, 20, i => 1.0, seed: 1);
        Assert.Equal(d, LowRank.Approximate(d, 3, 20, new LowRankOptions(3)));
    }

    [Fact]
    public void Approximate_SameSeed_Deterministic()
    {
        var d = MatrixWithSpectrum(50, 70, i => 1.0 / (i + 1), seed: 2);
        Assert.Equal(LowRank.Approximate(d, 50, 70, new LowRankOptions(4, Seed: 11)), LowRank.Approximate(d, 50, 70, new LowRankOptions(4, Seed: 11)));
    }
}
