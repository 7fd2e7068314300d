using Seamless.Search.Optimizers;

namespace Seamless.Tests.Optimizers;

public sealed class BayesianOptimizerTests
{
    private static double Run(IOptimizer optimizer, Func<double[], double> f, int dimensions, int budget, int seed) =>
        Proposals(optimizer, f, dimensions, budget, seed).Max(o => o.Value);

    private static List<Observation> Proposals(IOptimizer optimizer, Func<double[], double> f, int dimensions, int budget, int seed)
    {
        var observations = new List<Observation>();
        for (var i = 0; i < budget; i++)
        {
            var x = optimizer.Ask(dimensions, observations, [], 1, seed)[0];
            observations.Add(new Observation(x, f(x)));
        }

        return observations;
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
    public void Ask_UcbAgainstLogEi_TheAcquisitionDecidesTheProposal()
    {
        // Same data, seed and candidates: only the acquisition differs, so equal proposals would mean it is ignored.
        var observations = Proposals(new RandomSearch(), Bowl, 3, 12, seed: 2);
        var ucb = new BayesianOptimizer(BayesianOptimizerOptions.Default with { Acquisition = Acquisition.UpperConfidenceBound }).Ask(3, observations, [], 1, seed: 4)[0];
        var ei = new BayesianOptimizer().Ask(3, observations, [], 1, seed: 4)[0];
        Assert.NotEqual(ucb, ei);
        var wider = new BayesianOptimizer(BayesianOptimizerOptions.Default with { Acquisition = Acquisition.UpperConfidenceBound, Kappa = 20 }).Ask(3, observations, [], 1, seed: 4)[0];
        Assert.NotEqual(ucb, wider);
    }

    [Fact]
    public void Ask_LocalDesignAfterProbes_DesignInTheInitialRegionAroundTheBestProbe()
    {
        // Two probes: a poor one at the far corner and the better one at the origin (the base of a merge).
        var probes = new List<Observation> { new([1.0, 1.0, 1.0, 1.0], 0.2), new([0.0, 0.0, 0.0, 0.0], 0.6) };
        var local = new BayesianOptimizer(new BayesianOptimizerOptions { InitialPoints = 8 }).Ask(4, probes, [], 6, seed: 3);
        var global = new BayesianOptimizer(new BayesianOptimizerOptions { LocalDesign = false, InitialPoints = 8 }).Ask(4, probes, [], 6, seed: 3);

        var half = TrustRegion.InitialLength / 2;
        Assert.All(local, x => Assert.All(x, v => Assert.InRange(v, 0, half)));
        Assert.Contains(global, x => x.Any(v => v > half));

        // The same stratified design, scaled into the region: the points keep their order of magnitude per axis.
        Assert.All(local.Zip(global), p => Assert.All(p.First.Zip(p.Second), v => Assert.Equal(v.Second * half, v.First, 9)));
    }

    [Fact]
    public void Ask_SameSeed_SameProposals()
    {
        // Every proposal, design and model-based alike, in order; and another seed proposes other points.
        var a = Proposals(new BayesianOptimizer(), Bowl, 3, 14, seed: 5).Select(o => o.Point).ToList();
        var b = Proposals(new BayesianOptimizer(), Bowl, 3, 14, seed: 5).Select(o => o.Point).ToList();
        var other = Proposals(new BayesianOptimizer(), Bowl, 3, 14, seed: 6).Select(o => o.Point).ToList();
        Assert.Equal(14, a.Count);
        Assert.All(a.Zip(b), pair => Assert.Equal(pair.First, pair.Second));
        Assert.NotEqual(a[0], other[0]);
        Assert.NotEqual(a[^1], other[^1]);
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

    private static List<Observation> Random6D(Func<double[], double> f, int n)
    {
        var random = new Random(17);
        return Enumerable.Range(0, n).Select(_ =>
        {
            var x = Enumerable.Range(0, 6).Select(_ => random.NextDouble()).ToArray();
            return new Observation(x, f(x));
        }).ToList();
    }

    private static double Bowl6(double[] x) => 0.7 - x.Select((v, i) => (0.2 + (0.1 * i)) * (v - 0.3 - (0.07 * i)) * (v - 0.3 - (0.07 * i))).Sum();

    private static double Peaks6(double[] x) =>
        Math.Exp(-30 * x.Sum(v => (v - 0.25) * (v - 0.25))) + (0.8 * Math.Exp(-30 * x.Sum(v => (v - 0.75) * (v - 0.75))));

    [Fact]
    public void Ask_ExploitStepOnABowl_GoesToTheQuadraticSurfaceTop()
    {
        // 40 observations in 6 dimensions: past the 5-point design, and (40 − 5) mod 3 = 2 makes this ask an
        // exploitation step. On a bowl the surface predicts better than the GP, so the step goes to its top.
        var observations = Random6D(Bowl6, 40);
        Assert.True(QuadraticSurface.Fit(observations).LeaveOneOutError <= GaussianProcess.Fit(observations).LeaveOneOutError());
        var proposal = new BayesianOptimizer(BayesianOptimizerOptions.SurfaceSteps).Ask(6, observations, [], 1, 3)[0];
        Assert.Equal(QuadraticSurface.Fit(observations).Maximiser(), proposal);
    }

    [Fact]
    public void Ask_ExploitStepOnPeaks_LeavesTheSurfaceToTheGaussianProcess()
    {
        var observations = Random6D(Peaks6, 40);
        var model = GaussianProcess.Fit(observations);
        Assert.True(QuadraticSurface.Fit(observations).LeaveOneOutError > model.LeaveOneOutError());
        Assert.False(new BayesianOptimizer(BayesianOptimizerOptions.SurfaceSteps).SurfaceAllowed(model, QuadraticSurface.Fit(observations), observations, 5));
        Assert.True(new BayesianOptimizer(BayesianOptimizerOptions.SurfaceSteps).SurfaceAllowed(GaussianProcess.Fit(Random6D(Bowl6, 40)), QuadraticSurface.Fit(Random6D(Bowl6, 40)), Random6D(Bowl6, 40), 5));
        var proposal = new BayesianOptimizer(BayesianOptimizerOptions.SurfaceSteps).Ask(6, observations, [], 1, 3)[0];
        var top = QuadraticSurface.Fit(observations).Maximiser();
        Assert.True(proposal.Zip(top, (p, q) => Math.Abs(p - q)).Max() > 1e-3, "the surface's top was proposed on a landscape it predicts worse than the GP");
    }
}
