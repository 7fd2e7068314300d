namespace Seamless.Search.Optimizers;

/// <summary>Optimiser names as the command line and stored studies spell them.</summary>
public static class OptimizerFactory
{
    public static IOptimizer Create(string name) => name switch
    {
        // Below 40 weights, the GP search in a trust region with UCB (κ 2.576): on the landscape suite's 18- and
        // 26-weight families it lowered the regret against log EI on four of five (narrow26 at 100 evaluations 0.0124 →
        // 0.0077) and end to end on 26 weights (docs/benchmarks.md). From 40 weights on (two models × all 26 blocks) the
        // GP first searches coarse groups of neighbouring blocks, with log EI: there UCB lost end to end, and the nested
        // subspaces lowered the regret at 50 evaluations by a fifth to a half ("Nested subspaces").
        "gp" => new DimensionSplit(
            new BayesianOptimizer(BayesianOptimizerOptions.Default with { Acquisition = Acquisition.UpperConfidenceBound }),
            new NestedEmbedding(new BayesianOptimizer()),
            NestedEmbedding.DefaultMinDimensions),
        "gp-ucb" => new BayesianOptimizer(BayesianOptimizerOptions.Original),
        "quasirandom" => new QuasiRandomSearch(),
        "random" => new RandomSearch(),
        _ => throw new Errors.RecipeException(null, $"unknown optimizer '{name}' (gp, gp-ucb, quasirandom, random)"),
    };
}
