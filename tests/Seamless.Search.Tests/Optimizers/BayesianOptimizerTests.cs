using Seamless.Search.Optimizers;

namespace Seamless.Tests.Optimizers;

public sealed class BayesianOptimizerTests
{
    private static double Run(IOptimizer optimizer, Func<double[], double> f, int dimensions, int budget, int seed)
    {
        var observations = new List<Observation>();
        for (var i = 0; i < budget; i++)
        {
            var x = optimizer.Ask(dimensions, observations, [], 1, seed)[0];
            observations.Add(new Observation(x, f(x)));
        }

        return observations.Max(o => o.Value);
    }

    // A concave bowl with an interior optimum of 0 at (0.62, 0.31, 0.47).
    private static double Bowl(double[] x) => -(Math.Pow(x[0] - 0.62, 2) + Math.Pow(x[1] - 0.31, 2) + Math.Pow(x[2] - 0.47, 2));

    [Fact]
    public void Ask_Bowl3D_FindsOptimumWithin30Evaluations()
    {
        var best = Run(new BayesianOptimizer(), Bowl, 3, 30, seed: 1);
        Assert.True(best > -0.002, $"best {best}");
    }

    [Fact]
    public void Ask_Bowl3D_BeatsRandomSearchAtEqualBudget()
    {
        var gp = Enumerable.Range(1, 3).Select(s => Run(new BayesianOptimizer(), Bowl, 3, 25, s)).Average();
        var random = Enumerable.Range(1, 3).Select(s => Run(new RandomSearch(), Bowl, 3, 25, s)).Average();
        Assert.True(gp > random, $"gp {gp} vs random {random}");
    }

    [Fact]
    public void Ask_SameSeed_SameProposals()
    {
        var a = Run(new BayesianOptimizer(), Bowl, 3, 12, seed: 5);
        var b = Run(new BayesianOptimizer(), Bowl, 3, 12, seed: 5);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Ask_Batch_ReturnsDistinctPoints()
    {
        var observations = Enumerable.Range(0, 10).Select(i => new Observation([i / 10.0, (i * 7 % 10) / 10.0], -Math.Pow((i / 10.0) - 0.5, 2))).ToList();
        var batch = new BayesianOptimizer().Ask(2, observations, [], 4, 3);
        Assert.Equal(4, batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            for (var j = i + 1; j < batch.Count; j++)
            {
                Assert.True(batch[i].Zip(batch[j], (p, q) => Math.Abs(p - q)).Max() > 1e-3, "batch points coincide");
            }
        }
    }

    [Fact]
    public void Incumbent_NoisyScores_PicksFromTheBetterFifthByPosteriorMean()
    {
        var random = new Random(8);
        var observations = Enumerable.Range(0, 40).Select(_ =>
        {
            var x = new[] { random.NextDouble(), random.NextDouble() };
            return new Observation(x, Bowl([x[0], x[1], 0.47]) + (0.01 * (random.NextDouble() - 0.5)));
        }).ToList();
        var (point, value) = new BayesianOptimizer().Incumbent(observations);
        var rank = observations.OrderByDescending(o => o.Value).ToList().FindIndex(o => o.Point == point);
        Assert.InRange(rank, 0, 7);
        Assert.True(value <= observations.Max(o => o.Value) + 0.01);
    }
}
