namespace Seamless.Search.Optimizers;

/// <summary>Acquisition functions for maximisation.</summary>
public enum Acquisition
{
    /// <summary>log expected improvement over the best posterior mean (numerically safe far from the incumbent).</summary>
    LogExpectedImprovement,

    /// <summary>Upper confidence bound μ + κσ (the original system used κ = 2.576).</summary>
    UpperConfidenceBound,
}
