namespace Seamless.Search.Optimizers;

/// <summary>
/// How <see cref="BayesianOptimizer"/> models and proposes. <see cref="Default"/> is what was chosen on the landscape
/// suite's tuning families (docs/benchmarks.md): a GP with an additive component, log EI inside a TuRBO-style trust
/// region, the initial design around the best probe. <see cref="Original"/> is the original system's bayes_opt GP-UCB as far as the model allows;
/// <see cref="SurfaceSteps"/> the default before the suite (kept for the benchmarks' comparisons).
/// </summary>
public sealed record BayesianOptimizerOptions
{
    public Acquisition Acquisition { get; init; } = Acquisition.LogExpectedImprovement;

    /// <summary>Initial design points (a maximin Latin hypercube); 0: d/2, between 5 and 12.</summary>
    public int InitialPoints { get; init; }

    /// <summary>
    /// When points were evaluated before the design (the search's probes: the base, the input models), the design is
    /// drawn inside the initial trust region around the best of them rather than over the whole box. On by default:
    /// it helped on both tuning families and on four of the five held-out ones (docs/benchmarks.md).
    /// </summary>
    public bool LocalDesign { get; init; } = true;

    /// <summary>The trust region's initial (and restart) side in the unit cube, and the local design's box (TuRBO's 0.8).</summary>
    public double InitialRegion { get; init; } = Optimizers.TrustRegion.InitialLength;

    /// <summary>The initial design's last point is the centre of the box.</summary>
    public bool CentrePoint { get; init; }

    /// <summary>UCB's exploration weight (bayes_opt's default, which the original system used).</summary>
    public double Kappa { get; init; } = 2.576;

    /// <summary>Random candidates per acquisition search (plus perturbations of the best points).</summary>
    public int Candidates { get; init; } = 2048;

    /// <summary>Every n-th proposal after the design is an exploitation step (0: none).</summary>
    public int ExploitEvery { get; init; }

    /// <summary>Exploitation steps go to a quadratic response surface's top (else to the posterior mean's maximum).</summary>
    public bool Surface { get; init; } = true;

    public SurfaceGate Gate { get; init; } = SurfaceGate.CrossValidation;

    /// <summary>Proposals come from a trust region around the incumbent (<see cref="TrustRegion"/>).</summary>
    public bool TrustRegion { get; init; } = true;

    /// <summary>The region halves after max(4, ⌈scale·d⌉) proposals in a row without improvement.</summary>
    public double FailureScale { get; init; } = 1.0;

    /// <summary>The region doubles after this many improvements in a row.</summary>
    public int SuccessTolerance { get; init; } = 3;

    /// <summary>The GP has an additive component (<see cref="GaussianProcess.Fit"/>).</summary>
    public bool Additive { get; init; } = true;

    /// <summary>The trust region judges improvement by posterior means instead of observed scores.</summary>
    public bool SmoothRegion { get; init; }

    /// <summary>One length-scale for every dimension (isotropic), as bayes_opt.</summary>
    public bool Tied { get; init; }

    public static BayesianOptimizerOptions Default { get; } = new();

    /// <summary>
    /// bayes_opt as the original system ran it: UCB with κ = 2.576 after 4 random points (the zeros probe comes from
    /// the search configuration), an isotropic Matérn-5/2 GP, no trust region. The GP here also learns a noise term
    /// and has priors on its hyperparameters, where bayes_opt interpolates (alpha 1e-6).
    /// </summary>
    public static BayesianOptimizerOptions Original { get; } = new()
    {
        Acquisition = Acquisition.UpperConfidenceBound,
        InitialPoints = 4,
        LocalDesign = false,
        TrustRegion = false,
        Additive = false,
        Tied = true,
    };

    /// <summary>The default before the landscape suite: ARD GP, log EI over the whole box, a response-surface step every third proposal.</summary>
    public static BayesianOptimizerOptions SurfaceSteps { get; } = new() { ExploitEvery = 3, TrustRegion = false, Additive = false, LocalDesign = false };
}
