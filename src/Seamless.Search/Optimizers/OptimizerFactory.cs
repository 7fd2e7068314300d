namespace Seamless.Search.Optimizers;

/// <summary>Optimiser names as the command line and stored studies spell them.</summary>
public static class OptimizerFactory
{
    /// <param name="inputsProbed">Whether the study probes each input model alone (a merge search with those probes): then
    /// "gp" searches the full space from 40 weights on too. The probes are points far from the base in every weight, which
    /// the GP at full size learns each block's trend from; in nested subspaces they helped nothing. End to end on the two
    /// 52-weight worlds in [0, 1] (docs/benchmarks.md): ridge52 74 % of the gap against 63 %, wide52 67 % against 61 %.</param>
    public static IOptimizer Create(string name, bool inputsProbed = false) => name switch
    {
        // Below 40 weights, the GP search in a trust region with UCB (κ 2.576): on the landscape suite's 18- and
        // 26-weight families it lowered the regret against log EI on four of five (narrow26 at 100 evaluations 0.0124 →
        // 0.0077) and end to end on 26 weights (docs/benchmarks.md). From 40 weights on (two models × all 26 blocks) the
        // GP first searches coarse groups of neighbouring blocks, with log EI: there UCB lost end to end, and the nested
        // subspaces lowered the regret at 50 evaluations by a fifth to a half ("Nested subspaces").
        "gp" => new DimensionSplit(
            new BayesianOptimizer(BayesianOptimizerOptions.Default with { Acquisition = Acquisition.UpperConfidenceBound }),
            inputsProbed ? new BayesianOptimizer() : new NestedEmbedding(new BayesianOptimizer()),
            NestedEmbedding.DefaultMinDimensions),
        "gp-ucb" => new BayesianOptimizer(BayesianOptimizerOptions.Original),
        "quasirandom" => new QuasiRandomSearch(),
        "random" => new RandomSearch(),
        _ => throw new Errors.RecipeException(null, $"unknown optimizer '{name}' (gp, gp-ucb, quasirandom, random)"),
    };
}
