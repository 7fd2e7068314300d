using Seamless.Search.Optimizers;

namespace Seamless.Tests.Optimizers;

public sealed class QuadraticSurfaceTests
{
    private static readonly double[] Centre = [0.62, 0.31, 0.47, 0.8, 0.15, 0.5];

    private static List<Observation> Sample(Func<double[], double> f, int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            var x = Enumerable.Range(0, Centre.Length).Select(_ => random.NextDouble()).ToArray();
            return new Observation(x, f(x));
        }).ToList();
    }

    [Fact]
    public void Fit_NoisyBowl_MaximiserNearItsCentre()
    {
        var noise = new Random(3);
        var observations = Sample(x => 0.7 - x.Select((v, i) => (i + 1) * 0.3 * (v - Centre[i]) * (v - Centre[i])).Sum() + (0.002 * (noise.NextDouble() - 0.5)), 30, 1);
        var top = QuadraticSurface.Fit(observations).Maximiser();
        Assert.All(top.Zip(Centre), p => Assert.True(Math.Abs(p.First - p.Second) < 0.05, $"{p.First} vs {p.Second}"));
    }

    [Fact]
    public void Fit_OutwardCurvature_HeldConcaveAndMaximiserInTheBox()
    {
        // Values rise towards the corners in every dimension: the fitted curvature would be positive; it is held
        // negative, so the maximiser is finite, and it lies in the box.
        var observations = Sample(x => x.Sum(v => (v - 0.5) * (v - 0.5)), 40, 2);
        var surface = QuadraticSurface.Fit(observations);
        var top = surface.Maximiser();
        Assert.All(top, v => Assert.InRange(v, 0, 1));
        Assert.True(surface.Predict(top) >= surface.Predict(Enumerable.Repeat(0.5, Centre.Length).ToArray()) - 1e-12);
    }

    [Fact]
    public void Ask_Bowl_ExploitationStepIsTheSurfaceMaximiser()
    {
        double Bowl(double[] x) => -x.Select((v, i) => (v - Centre[i]) * (v - Centre[i])).Sum();
        var optimizer = new BayesianOptimizer();
        var observations = new List<Observation>();
        var n0 = optimizer.InitialPoints(Centre.Length);
        while (observations.Count < n0 + 2)
        {
            var x = optimizer.Ask(Centre.Length, observations, [], 1, 1)[0];
            observations.Add(new Observation(x, Bowl(x)));
        }

        // Proposal n0 + 2 is the first exploitation step (every third after the design).
        var step = optimizer.Ask(Centre.Length, observations, [], 1, 1)[0];
        Assert.Equal(QuadraticSurface.Fit(observations).Maximiser(), step);
    }
}
