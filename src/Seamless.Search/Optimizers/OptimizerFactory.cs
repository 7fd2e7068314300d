namespace Seamless.Search.Optimizers;

/// <summary>Optimiser names as the command line and stored studies spell them.</summary>
public static class OptimizerFactory
{
    public static IOptimizer Create(string name) => name switch
    {
        // From 40 weights on (two models × all 26 blocks), the GP first searches coarse groups of neighbouring blocks:
        // on the landscape suite's 52-weight families it lowered the regret at 50 evaluations by a fifth to a half
        // (docs/benchmarks.md, "Nested subspaces"); at 18 and 26 weights it did worse, so it starts there at full size.
        "gp" => new NestedEmbedding(new BayesianOptimizer(), minDimensions: NestedEmbedding.DefaultMinDimensions),
        "gp-ucb" => new BayesianOptimizer(BayesianOptimizerOptions.Original),
        "quasirandom" => new QuasiRandomSearch(),
        "random" => new RandomSearch(),
        _ => throw new Errors.RecipeException(null, $"unknown optimizer '{name}' (gp, gp-ucb, quasirandom, random)"),
    };
}
