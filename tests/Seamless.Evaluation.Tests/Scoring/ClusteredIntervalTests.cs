using Seamless.Evaluation.Scoring;

namespace Seamless.Tests.Scoring;

public class ClusteredIntervalTests
{
    [Fact]
    public void Estimate_ThreePrompts_MatchesHandComputation()
    {
        // p = 6/12; residuals d − p·n = 1, −1, 0; Var = 3/2 · 2 / 12² = 1/48.
        var a = ClusteredInterval.Estimate([(3, 4), (1, 4), (2, 4)]);
        Assert.Equal(0.5, a.Value, 12);
        var half = ClusteredInterval.Z95 * Math.Sqrt(1.0 / 48);
        Assert.Equal(0.5 - half, a.Low, 12);
        Assert.Equal(0.5 + half, a.High, 12);
        Assert.Equal(12, a.Pairs);
        Assert.Equal(6, a.Detected);
        Assert.Equal(0.25 * 48, a.EffectivePairs, 9);
    }

    [Fact]
    public void Estimate_OnePrompt_BinomialInterval()
    {
        var a = ClusteredInterval.Estimate([(30, 40)]);
        var half = ClusteredInterval.Z95 * Math.Sqrt(0.75 * 0.25 / 40);
        Assert.Equal(0.75 - half, a.Low, 12);
        Assert.Equal(40, a.EffectivePairs, 9);
    }

    [Fact]
    public void Estimate_CorrelatedPrompts_WiderThanBinomial()
    {
        var a = ClusteredInterval.Estimate([(10, 10), (0, 10), (10, 10), (0, 10)]);
        Assert.Equal(0.5, a.Value);
        Assert.True(a.EffectivePairs < 40 / 3.0, $"effective pairs {a.EffectivePairs}");
        Assert.Equal(0, a.Low);
        Assert.Equal(1, a.High);
    }

    [Fact]
    public void Estimate_NoPairs_Empty() => Assert.True(double.IsNaN(ClusteredInterval.Estimate([]).Value));
}
