using Seamless.Search.Optimizers;

namespace Seamless.Tests.Optimizers;

public sealed class GaussianProcessTests
{
    [Fact]
    public void Fit_SmoothFunction_InterpolatesAndIsUncertainAway()
    {
        var points = Enumerable.Range(0, 12).Select(i => i / 11.0).ToList();
        var observations = points.Select(x => new Observation([x], Math.Sin(6 * x))).ToList();
        var gp = GaussianProcess.Fit(observations);
        foreach (var x in new[] { 0.05, 0.33, 0.52, 0.91 })
        {
            var (mean, variance) = gp.Predict([x]);
            Assert.True(Math.Abs(mean - Math.Sin(6 * x)) < 0.05, $"mean at {x}: {mean} vs {Math.Sin(6 * x)} (ℓ={gp.LengthScales[0]}, noise={gp.NoiseVariance})");
            Assert.True(variance < 0.01, $"variance at {x}: {variance}");
        }
    }

    [Fact]
    public void Fit_IrrelevantDimension_GetsLongerLengthScale()
    {
        var random = new Random(1);
        var observations = Enumerable.Range(0, 40).Select(_ =>
        {
            var x = new[] { random.NextDouble(), random.NextDouble() };
            return new Observation(x, Math.Sin(5 * x[0]));
        }).ToList();
        var gp = GaussianProcess.Fit(observations);
        Assert.True(gp.LengthScales[1] > 3 * gp.LengthScales[0], $"ℓ = [{gp.LengthScales[0]}, {gp.LengthScales[1]}]");
    }

    [Fact]
    public void Gradient_MatchesFiniteDifferences()
    {
        var random = new Random(2);
        var x = Enumerable.Range(0, 15).Select(_ => new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() }).ToArray();
        var y = MathNet.Numerics.LinearAlgebra.Double.DenseVector.OfEnumerable(x.Select(p => Math.Sin(3 * p[0]) + p[1]));
        var known = new double[15];
        var theta = new[] { -0.5, 0.2, 0.7, 0.1, Math.Log(0.05) };
        var (_, gradient) = GaussianProcess.NegativeLogPosterior(x, y, known, theta);
        for (var i = 0; i < theta.Length; i++)
        {
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[i] += 1e-5;
            minus[i] -= 1e-5;
            var numeric = (GaussianProcess.NegativeLogPosterior(x, y, known, plus).Value - GaussianProcess.NegativeLogPosterior(x, y, known, minus).Value) / 2e-5;
            Assert.True(Math.Abs(numeric - gradient[i]) < 1e-4 * Math.Max(1, Math.Abs(numeric)), $"θ{i}: analytic {gradient[i]}, numeric {numeric}");
        }
    }
}
