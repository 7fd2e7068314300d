using Seamless.Search.Optimizers;

namespace Seamless.Tests.Optimizers;

public sealed class TrustRegionTests
{
    [Fact]
    public void Replay_NoImprovementForTheTolerance_HalvesEachTime()
    {
        // A design of 5, then 8 misses with a tolerance of 4: 0.8 → 0.4 → 0.2.
        double[] values = [0.1, 0.5, 0.2, 0.3, 0.4, .. Enumerable.Repeat(0.45, 8)];
        var region = TrustRegion.Replay(values, design: 5, successTolerance: 3, failureTolerance: 4);
        Assert.Equal(0.2, region.Length, 12);
        Assert.Equal(0, region.Failures);
    }

    [Fact]
    public void Replay_ImprovementsInARow_DoublesUpToTheMaximum()
    {
        double[] values = [0.1, .. Enumerable.Range(1, 9).Select(i => 0.1 + (0.05 * i))];
        Assert.Equal(TrustRegion.MaxLength, TrustRegion.Replay(values, design: 1, successTolerance: 3, failureTolerance: 4).Length, 12);
        Assert.Equal(2 * TrustRegion.InitialLength, TrustRegion.Replay(values[..4], design: 1, successTolerance: 3, failureTolerance: 4).Length, 12);
    }

    [Fact]
    public void Replay_ImprovementBelowTheRelativeMargin_CountsAsAMiss()
    {
        // 0.1 % of the best: 0.5 → 0.50049 is a miss, 0.5006 a success.
        Assert.Equal(1, TrustRegion.Replay([0.5, 0.50049], design: 1, successTolerance: 3, failureTolerance: 9).Failures);
        Assert.Equal(1, TrustRegion.Replay([0.5, 0.5006], design: 1, successTolerance: 3, failureTolerance: 9).Successes);
    }

    [Fact]
    public void Replay_BelowTheMinimum_StartsOver()
    {
        // Seven halvings take 0.8 below 0.5⁷ (to 0.00625): the region restarts at its initial side.
        var values = new[] { 1.0 }.Concat(Enumerable.Repeat(0.0, 4 * 7)).ToArray();
        var region = TrustRegion.Replay(values, design: 1, successTolerance: 3, failureTolerance: 4);
        Assert.Equal(1, region.Restarts);
        Assert.Equal(TrustRegion.InitialLength, region.Length, 12);
    }

    [Fact]
    public void Replay_SmallerInitialSide_StartsAndStartsOverThere()
    {
        Assert.Equal(0.2, TrustRegion.Replay([1.0, 0.0], design: 1, successTolerance: 3, failureTolerance: 4, initialLength: 0.2).Length, 12);

        // Five halvings take 0.2 below 0.5⁷ (to 0.00625): the region restarts at 0.2, not at TuRBO's 0.8.
        var values = new[] { 1.0 }.Concat(Enumerable.Repeat(0.0, 4 * 5)).ToArray();
        var region = TrustRegion.Replay(values, design: 1, successTolerance: 3, failureTolerance: 4, initialLength: 0.2);
        Assert.Equal(1, region.Restarts);
        Assert.Equal(0.2, region.Length, 12);
    }

    [Fact]
    public void Ask_SmallerInitialRegion_LocalDesignInsideIt()
    {
        var probes = new List<Observation> { new([0.5, 0.5, 0.5], 0.6) };
        var design = new BayesianOptimizer(new BayesianOptimizerOptions { InitialRegion = 0.2, InitialPoints = 6 }).Ask(3, probes, [], 5, seed: 2);
        Assert.All(design, x => Assert.All(x, v => Assert.InRange(v, 0.4, 0.6)));
    }

    [Fact]
    public void Box_LengthScales_StretchTheLongDimensionAndClipToTheCube()
    {
        var region = new TrustRegion(0.4, 0, 0, 0);
        var (low, high) = region.Box([0.5, 0.5, 0.95], [0.25, 4, 1]);

        // Weights ℓ / geometric mean: 0.25, 4, 1 → geometric mean 1: sides 0.1, 1.6, 0.4.
        Assert.Equal(0.45, low[0], 12);
        Assert.Equal(0.55, high[0], 12);
        Assert.Equal((0, 1), (low[1], high[1]));
        Assert.Equal((0.75, 1), (low[2], high[2]));
    }

    [Fact]
    public void Ask_AfterManyMisses_ProposesInsideTheShrunkRegionAroundTheIncumbent()
    {
        // A 4-d bowl with its top at 0.3; the best point is evaluated first, then 24 points far from it all miss: after
        // the design of 5, 20 misses halve the region five times (0.8 → 0.025), and the next proposal stays close.
        var random = new Random(2);
        double F(double[] x) => -x.Sum(v => (v - 0.3) * (v - 0.3));
        var observations = new List<Observation> { new([0.3, 0.3, 0.3, 0.32], F([0.3, 0.3, 0.3, 0.32])) };
        for (var i = 0; i < 24; i++)
        {
            var x = Enumerable.Range(0, 4).Select(_ => 0.6 + (0.4 * random.NextDouble())).ToArray();
            observations.Add(new Observation(x, F(x)));
        }

        var optimizer = new BayesianOptimizer();
        var proposal = optimizer.Ask(4, observations, [], 1, seed: 1)[0];
        Assert.NotNull(optimizer.Region);
        Assert.True(optimizer.Region!.Length < 0.1, $"region side {optimizer.Region.Length}");
        Assert.True(proposal.Zip(observations[0].Point, (a, b) => Math.Abs(a - b)).Max() < 0.25, $"proposal [{string.Join(", ", proposal)}] far from the incumbent");
        Assert.True(optimizer.Model!.IsAdditive);
    }
}
