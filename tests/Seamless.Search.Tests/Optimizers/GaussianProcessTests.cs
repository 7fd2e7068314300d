using Seamless.Search.Optimizers;

namespace Seamless.Tests.Optimizers;

public sealed class GaussianProcessTests
{
    /// <summary>The analytic gradient of <paramref name="f"/> at θ against central differences.</summary>
    private static void AssertGradient(Func<double[], (double Value, double[] Gradient)> f, double[] theta)
    {
        var gradient = f(theta).Gradient;
        Assert.Equal(theta.Length, gradient.Length);
        for (var i = 0; i < theta.Length; i++)
        {
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[i] += 1e-5;
            minus[i] -= 1e-5;
            var numeric = (f(plus).Value - f(minus).Value) / 2e-5;
            Assert.True(Math.Abs(numeric - gradient[i]) < 1e-4 * Math.Max(1, Math.Abs(numeric)), $"θ{i}: analytic {gradient[i]}, numeric {numeric}");
        }
    }

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
    public void Prefix_FirstHalf_KnowsOnlyTheFirstHalfAndMatchesARefit()
    {
        // sin(6x) at 16 points: the first 8 in [0, 0.47], the last 8 in [0.53, 1].
        var xs = Enumerable.Range(0, 16).Select(i => i < 8 ? i / 15.0 : (i + 0.5) / 15.5).ToArray();
        var observations = xs.Select(x => new Observation([x], Math.Sin(6 * x), 1e-6)).ToList();
        var full = GaussianProcess.Fit(observations);
        var half = full.Prefix(8);

        Assert.Same(full, full.Prefix(16));
        Assert.Equal(Math.Sin(6 * xs[3]), half.Predict([xs[3]]).Mean, 2);

        // A point of the second half: the whole model knows it, the prefix does not (and is unsure there).
        var unseen = xs[13];
        var (prefixMean, prefixVariance) = half.Predict([unseen]);
        Assert.Equal(Math.Sin(6 * unseen), full.Predict([unseen]).Mean, 2);
        Assert.True(Math.Abs(prefixMean - Math.Sin(6 * unseen)) > 0.1, $"prefix predicted {prefixMean} at an unseen point");
        Assert.True(prefixVariance > 10 * full.Predict([unseen]).Variance);

        // Against a refit on the prefix with the same hyperparameters: equal where the prefix has data (the two differ
        // only in how scores are standardised, which matters away from the data).
        var refit = GaussianProcess.Fit(observations.Take(8).ToList(), full.LogParameters, optimise: false);
        foreach (var x in new[] { 0.02, 0.2, 0.41 })
        {
            Assert.Equal(refit.Predict([x]).Mean, half.Predict([x]).Mean, 2);
        }
    }

    [Fact]
    public void PredictMean_AnyPoint_EqualsTheFullPredictionsMean()
    {
        var rng = new Random(5);
        var observations = Enumerable.Range(0, 40).Select(_ => { var p = new[] { rng.NextDouble(), rng.NextDouble() }; return new Observation(p, p[0] - (p[1] * p[1])); }).ToList();
        var gp = GaussianProcess.Fit(observations);
        for (var i = 0; i < 20; i++)
        {
            double[] x = [rng.NextDouble(), rng.NextDouble()];
            Assert.Equal(gp.Predict(x).Mean, gp.PredictMean(x), 12);
        }
    }

    [Fact]
    public void FitBounded_LongHistory_ConditionsOnTheBestHalfAndAnEvenSpreadInOrder()
    {
        var rng = new Random(3);
        var observations = Enumerable.Range(0, 300).Select(_ =>
        {
            var x = rng.NextDouble();
            return new Observation([x], Math.Sin(6 * x));
        }).ToList();

        var (model, used) = GaussianProcess.FitBounded(observations, sample: 50, maxConditioned: 60);
        Assert.Equal(60, used.Length);
        Assert.Equal(used.Order(), used);
        Assert.Equal(used.Length, used.Distinct().Count());

        // The 30 best are all kept, and the other half reaches from the start of the history to its end.
        var best = Enumerable.Range(0, 300).OrderByDescending(i => observations[i].Value).Take(30);
        Assert.All(best, i => Assert.Contains(i, used));
        Assert.Equal(0, used[0]);
        Assert.True(used[^1] >= 280, $"the spread stops at {used[^1]}");

        // What it kept is enough to know the function where a recommendation is made.
        var peak = Math.PI / 12;
        Assert.Equal(1, model.Predict([peak]).Mean, 1);

        // Short histories are conditioned on whole.
        var (_, all) = GaussianProcess.FitBounded(observations.Take(40).ToList(), sample: 50, maxConditioned: 60);
        Assert.Equal(Enumerable.Range(0, 40), all);
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
        AssertGradient(t => GaussianProcess.NegativeLogPosterior(x, y, known, t), theta);
    }

    [Fact]
    public void LeaveOneOutError_EqualsConditioningOnTheOthers()
    {
        var random = new Random(11);
        var observations = Enumerable.Range(0, 20).Select(_ =>
        {
            var x = new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() };
            var y = Math.Sin(4 * x[0]) + (x[1] * x[2]) + (0.05 * random.NextDouble());
            return new Observation(x, y, NoiseVariance: 1e-4 * (1 + random.NextDouble()));
        }).ToList();
        var gp = GaussianProcess.Fit(observations);
        var brute = 0.0;
        for (var i = 0; i < observations.Count; i++)
        {
            // Same hyperparameters, mean and scale, without observation i.
            var others = GaussianProcess.FitFixed(observations.Where((_, j) => j != i).ToList(), gp.LogParameters, gp.Mean, gp.Scale);
            var residual = observations[i].Value - others.Predict(observations[i].Point).Mean;
            brute += residual * residual;
        }

        Assert.Equal(brute / observations.Count, gp.LeaveOneOutError(), 9);
    }

    [Fact]
    public void Gradient_Additive_MatchesFiniteDifferences()
    {
        var random = new Random(3);
        var x = Enumerable.Range(0, 15).Select(_ => new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() }).ToArray();
        var y = MathNet.Numerics.LinearAlgebra.Double.DenseVector.OfEnumerable(x.Select(p => Math.Sin(3 * p[0]) + p[1]));
        var known = Enumerable.Range(0, 15).Select(i => 1e-3 * (i % 3)).ToArray();

        // ARD ℓ (3), log σ_f², log σ_n², additive λ (3), log σ_a².
        var theta = new[] { -0.5, 0.2, 0.7, 0.1, Math.Log(0.05), -1.2, -0.3, 0.4, -0.2 };
        AssertGradient(t => GaussianProcess.NegativeLogPosterior(x, y, known, t), theta);
    }

    [Fact]
    public void Fit_AdditiveFunctionIn12Dimensions_AdditiveModelPredictsBetterThanArdAlone()
    {
        // A sum of one-dimensional wells, as a merge score over block weights mostly is: 30 points in 12 dimensions are
        // too few for an ARD kernel to see it, and enough for the additive component.
        var random = new Random(5);
        var centres = Enumerable.Range(0, 12).Select(_ => random.NextDouble()).ToArray();
        double F(double[] p) => -Enumerable.Range(0, 12).Sum(a => (p[a] - centres[a]) * (p[a] - centres[a]));
        List<Observation> Sample(int n) => Enumerable.Range(0, n).Select(_ =>
        {
            var p = Enumerable.Range(0, 12).Select(_ => random.NextDouble()).ToArray();
            return new Observation(p, F(p));
        }).ToList();
        var train = Sample(30);
        var test = Sample(200);
        double Error(GaussianProcess gp) => test.Average(o => Math.Pow(gp.Predict(o.Point).Mean - o.Value, 2));

        var additive = GaussianProcess.Fit(train, additive: true);
        var ard = GaussianProcess.Fit(train);
        Assert.True(additive.IsAdditive && !ard.IsAdditive);
        Assert.Equal(12, additive.AdditiveLengthScales.Count);
        Assert.True(Error(additive) < 0.5 * Error(ard), $"additive {Error(additive)}, ARD {Error(ard)}");
    }

    [Fact]
    public void LeaveOneOutError_Additive_EqualsConditioningOnTheOthers()
    {
        var random = new Random(12);
        var observations = Enumerable.Range(0, 20).Select(_ =>
        {
            var x = new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() };
            return new Observation(x, Math.Sin(4 * x[0]) + x[1], NoiseVariance: 1e-4);
        }).ToList();
        var gp = GaussianProcess.Fit(observations, additive: true);
        var brute = 0.0;
        for (var i = 0; i < observations.Count; i++)
        {
            var others = GaussianProcess.FitFixed(observations.Where((_, j) => j != i).ToList(), gp.LogParameters, gp.Mean, gp.Scale);
            var residual = observations[i].Value - others.Predict(observations[i].Point).Mean;
            brute += residual * residual;
        }

        Assert.Equal(brute / observations.Count, gp.LeaveOneOutError(), 9);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gradient_Tied_MatchesFiniteDifferences(bool additive)
    {
        var random = new Random(4);
        var x = Enumerable.Range(0, 15).Select(_ => new[] { random.NextDouble(), random.NextDouble(), random.NextDouble(), random.NextDouble() }).ToArray();
        var y = MathNet.Numerics.LinearAlgebra.Double.DenseVector.OfEnumerable(x.Select(p => Math.Sin(3 * p[0]) + p[1] - p[3]));
        var known = new double[15];
        double[] theta = additive ? [0.3, 0.1, Math.Log(0.05), -0.8, -0.4] : [0.3, 0.1, Math.Log(0.05)];
        AssertGradient(t => GaussianProcess.TiedNegativeLogPosterior(x, y, known, t, additive), theta);
    }

    [Fact]
    public void Fit_Tied_OneLengthScaleForEveryDimension()
    {
        var random = new Random(6);
        var observations = Enumerable.Range(0, 25).Select(_ =>
        {
            var p = new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() };
            return new Observation(p, Math.Sin(4 * p[0]) + p[2]);
        }).ToList();
        var gp = GaussianProcess.Fit(observations, additive: true, tied: true);
        Assert.Single(gp.LengthScales.Distinct());
        Assert.Single(gp.AdditiveLengthScales.Distinct());
        Assert.NotEqual(gp.LengthScales[0], GaussianProcess.Fit(observations, additive: true).LengthScales[0]);
    }

    [Fact]
    public void NegativeLogPosterior_OnePoint_LengthScalesPricedByTheirPriorsOnly()
    {
        // With one observation there are no pairs: the likelihood does not depend on any length-scale, so moving one
        // by one prior scale changes the posterior by exactly ½ — the prior, which an ignored prior would not.
        double[][] x = [[0.2, 0.4, 0.6]];
        var y = MathNet.Numerics.LinearAlgebra.Double.DenseVector.OfArray([0.3]);
        var known = new double[1];
        var ardMean = Math.Sqrt(2) + (0.5 * Math.Log(3));
        double[] at = [ardMean, ardMean, ardMean, 0, Math.Log(0.05), Math.Log(0.5), Math.Log(0.5), Math.Log(0.5), 0];
        double Value(int index, double shift)
        {
            var theta = (double[])at.Clone();
            theta[index] += shift;
            return GaussianProcess.NegativeLogPosterior(x, y, known, theta).Value;
        }

        Assert.Equal(0.5, Value(1, Math.Sqrt(3)) - Value(1, 0), 9);   // ARD ℓ: log-normal, scale √3
        Assert.Equal(0.5, Value(6, 1) - Value(6, 0), 9);              // additive λ: log-normal, scale 1
    }
}
