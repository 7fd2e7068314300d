using Seamless.Search.Optimizers;

namespace Seamless.Tests.Optimizers;

public sealed class OptimizerFactoryTests
{
    /// <summary>Past the design, so the acquisition decides: 24 points of a bowl in <paramref name="d"/> dimensions.</summary>
    private static List<Observation> Bowl(int d)
    {
        var random = new Random(3);
        return [.. Enumerable.Range(0, 24).Select(_ =>
        {
            var x = Enumerable.Range(0, d).Select(_ => random.NextDouble()).ToArray();
            return new Observation(x, 0.7 - x.Sum(v => (v - 0.3) * (v - 0.3)) / d);
        })];
    }

    [Fact]
    public void Gp_26Weights_TheGpSearchWithUcb()
    {
        // Below 40 weights the default is the GP search with UCB (κ 2.576): the same proposal, and not log EI's.
        var observations = Bowl(26);
        var gp = OptimizerFactory.Create("gp").Ask(26, observations, [], 1, seed: 5)[0];
        var ucb = new BayesianOptimizer(BayesianOptimizerOptions.Default with { Acquisition = Acquisition.UpperConfidenceBound }).Ask(26, observations, [], 1, seed: 5)[0];
        var logEi = new BayesianOptimizer().Ask(26, observations, [], 1, seed: 5)[0];
        Assert.Equal(ucb, gp);
        Assert.NotEqual(logEi, gp);
    }

    [Fact]
    public void Gp_52Weights_NestedSubspacesWithLogEi()
    {
        var observations = Bowl(52);
        var gp = OptimizerFactory.Create("gp").Ask(52, observations, [], 1, seed: 5)[0];
        var nested = new NestedEmbedding(new BayesianOptimizer()).Ask(52, observations, [], 1, seed: 5)[0];
        Assert.Equal(nested, gp);
    }

    [Fact]
    public void Gp_52WeightsInputsProbed_TheGpSearchAtFullSize()
    {
        var observations = Bowl(52);
        var gp = OptimizerFactory.Create("gp", inputsProbed: true).Ask(52, observations, [], 1, seed: 5)[0];
        var full = new BayesianOptimizer().Ask(52, observations, [], 1, seed: 5)[0];
        var nested = new NestedEmbedding(new BayesianOptimizer()).Ask(52, observations, [], 1, seed: 5)[0];
        Assert.Equal(full, gp);
        Assert.NotEqual(nested, gp);
    }

    [Fact]
    public void Create_UnknownName_ListsTheKnownOnes()
    {
        var ex = Assert.Throws<Seamless.Errors.RecipeException>(() => OptimizerFactory.Create("tpe"));
        Assert.Contains("gp, gp-ucb", ex.Message, StringComparison.Ordinal);
    }
}
