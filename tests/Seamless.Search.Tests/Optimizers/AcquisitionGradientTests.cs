using Seamless.Search.Optimizers;

namespace Seamless.Tests.Optimizers;

public sealed class AcquisitionGradientTests
{
    private static GaussianProcess Model()
    {
        var random = new Random(4);
        var observations = Enumerable.Range(0, 20).Select(_ =>
        {
            var x = new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() };
            return new Observation(x, Math.Sin(4 * x[0]) + (x[1] * x[2]));
        }).ToList();
        return GaussianProcess.Fit(observations);
    }

    [Fact]
    public void PredictWithGradient_MatchesPredictAndFiniteDifferences()
    {
        var gp = Model();
        var x = new[] { 0.3, 0.6, 0.45 };
        var dm = new double[3];
        var dv = new double[3];
        var (mean, variance) = gp.PredictWithGradient(x, dm, dv);
        var plain = gp.Predict(x);
        Assert.Equal(plain.Mean, mean, 10);
        Assert.Equal(plain.Variance, variance, 10);
        for (var a = 0; a < 3; a++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[a] += 1e-6;
            minus[a] -= 1e-6;
            var (mp, vp) = gp.Predict(plus);
            var (mm, vm) = gp.Predict(minus);
            Assert.Equal((mp - mm) / 2e-6, dm[a], 4);
            Assert.Equal((vp - vm) / 2e-6, dv[a], 4);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(8.0)]
    public void LogExpectedImprovementGradient_MatchesFiniteDifferences(double incumbentOffset)
    {
        var gp = Model();
        var x = new[] { 0.7, 0.2, 0.9 };
        var incumbent = gp.Predict(x).Mean + incumbentOffset;
        var dm = new double[3];
        var dv = new double[3];
        var g = new double[3];
        var (mean, variance) = gp.PredictWithGradient(x, dm, dv);
        var value = ExpectedImprovement.LogWithGradient(mean, variance, incumbent, dm, dv, g);
        Assert.Equal(ExpectedImprovement.Log(mean, variance, incumbent), value, 10);
        for (var a = 0; a < 3; a++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[a] += 1e-6;
            minus[a] -= 1e-6;
            var fp = gp.Predict(plus);
            var fm = gp.Predict(minus);
            var numeric = (ExpectedImprovement.Log(fp.Mean, fp.Variance, incumbent) - ExpectedImprovement.Log(fm.Mean, fm.Variance, incumbent)) / 2e-6;
            Assert.True(Math.Abs(numeric - g[a]) < 1e-3 * Math.Max(1, Math.Abs(numeric)), $"dim {a}: analytic {g[a]}, numeric {numeric}");
        }
    }
}
