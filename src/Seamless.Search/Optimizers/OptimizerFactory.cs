namespace Seamless.Search.Optimizers;

/// <summary>Optimiser names as the command line and stored studies spell them.</summary>
public static class OptimizerFactory
{
    public static IOptimizer Create(string name) => name switch
    {
        "gp" => new BayesianOptimizer(),
        "gp-ucb" => new BayesianOptimizer(BayesianOptimizerOptions.Original),
        "quasirandom" => new QuasiRandomSearch(),
        "random" => new RandomSearch(),
        _ => throw new Errors.RecipeException(null, $"unknown optimizer '{name}' (gp, gp-ucb, quasirandom, random)"),
    };
}
