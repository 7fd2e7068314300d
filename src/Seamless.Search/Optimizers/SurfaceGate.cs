namespace Seamless.Search.Optimizers;

/// <summary>When <see cref="BayesianOptimizer"/> takes a response-surface exploitation step.</summary>
public enum SurfaceGate
{
    /// <summary>
    /// While the quadratic surface predicts the observations at least as well as the Gaussian process does, by
    /// leave-one-out error: a model-selection test that is on for bowls and off for peaked, multimodal landscapes.
    /// </summary>
    CrossValidation,

    /// <summary>Until two of the last surface steps landed below the best fifth of earlier scores (the rule before 2026-11-26).</summary>
    TrackRecord,
}
