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
        var optimizer = new BayesianOptimizer(BayesianOptimizerOptions.SurfaceSteps);
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

    [Fact]
    public void LeaveOneOutError_Unpenalised_EqualsRefittingWithoutEachPoint()
    {
        var noise = new Random(5);
        var observations = Sample(x => 0.7 - x.Select((v, i) => 0.3 * (v - Centre[i]) * (v - Centre[i])).Sum() + (0.01 * noise.NextDouble()) + (0.05 * x[0] * x[1]), 25, 4);
        var brute = 0.0;
        for (var i = 0; i < observations.Count; i++)
        {
            var others = observations.Where((_, j) => j != i).ToList();
            var surface = QuadraticSurface.Fit(others, ridge: 0);

            // The PRESS identity is for the unconstrained fit: every fitted curvature here is clearly negative, so
            // clipping at −10⁻³ changes nothing.
            var residual = observations[i].Value - surface.Predict(observations[i].Point);
            brute += residual * residual;
        }

        Assert.Equal(brute / observations.Count, QuadraticSurface.Fit(observations, ridge: 0).LeaveOneOutError, 10);
    }

    [Fact]
    public void LeaveOneOutError_BowlAgainstPeaks_SmallerOnTheBowl()
    {
        var bowl = Sample(x => 0.7 - x.Select((v, i) => 0.3 * (v - Centre[i]) * (v - Centre[i])).Sum(), 40, 6);
        var peaks = Sample(x => Math.Exp(-40 * x.Select((v, i) => (v - Centre[i]) * (v - Centre[i])).Sum()) + (0.5 * Math.Exp(-40 * x.Sum(v => (v - 0.2) * (v - 0.2)))), 40, 6);
        static double Relative(List<Observation> o)
        {
            var mean = o.Average(v => v.Value);
            return QuadraticSurface.Fit(o).LeaveOneOutError / o.Average(v => (v.Value - mean) * (v.Value - mean));
        }

        Assert.True(Relative(bowl) < 0.01, $"bowl {Relative(bowl)}");
        Assert.True(Relative(peaks) > 0.5, $"peaks {Relative(peaks)}");
    }
}
