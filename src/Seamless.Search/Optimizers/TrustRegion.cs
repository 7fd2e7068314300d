namespace Seamless.Search.Optimizers;

/// <summary>
/// A TuRBO-style trust region (Eriksson et al. 2019, "Scalable global optimization via local Bayesian optimization"):
/// a box of side <see cref="Length"/> around the incumbent, stretched per dimension by the GP's length-scales, that
/// doubles after <c>successes</c> consecutive improvements and halves after <c>failures</c> consecutive misses, and
/// starts over at the initial length once it falls below the minimum. The state is replayed from the observations in
/// the order they were made, never stored, so a resumed study reaches the same region.
/// </summary>
public sealed record TrustRegion(double Length, int Successes, int Failures, int Restarts)
{
    /// <summary>The initial side, in the unit cube (TuRBO's 0.8).</summary>
    public const double InitialLength = 0.8;

    /// <summary>The largest side (TuRBO's 1.6).</summary>
    public const double MaxLength = 1.6;

    /// <summary>Below this side the region starts over (TuRBO's 0.5⁷).</summary>
    public const double MinLength = 0.0078125;

    /// <summary>
    /// The region after the observations <paramref name="values"/> (in the order they were made; the first
    /// <paramref name="design"/> are the initial design and only set the first best). An observation improves when it
    /// beats the best before it by more than 0.1 % of that best's magnitude (TuRBO's rule).
    /// </summary>
    public static TrustRegion Replay(IReadOnlyList<double> values, int design, int successTolerance, int failureTolerance, double initialLength = InitialLength)
    {
        ArgumentNullException.ThrowIfNull(values);
        var length = initialLength;
        var successes = 0;
        var failures = 0;
        var restarts = 0;
        var best = double.NegativeInfinity;
        for (var k = 0; k < values.Count; k++)
        {
            if (k >= design)
            {
                if (values[k] > best + (1e-3 * Math.Abs(best)))
                {
                    successes++;
                    failures = 0;
                }
                else
                {
                    failures++;
                    successes = 0;
                }

                if (successes >= successTolerance)
                {
                    length = Math.Min(2 * length, MaxLength);
                    successes = 0;
                }
                else if (failures >= failureTolerance)
                {
                    length /= 2;
                    failures = 0;
                    if (length < MinLength)
                    {
                        length = initialLength;
                        restarts++;
                    }
                }
            }

            best = Math.Max(best, values[k]);
        }

        return new TrustRegion(length, successes, failures, restarts);
    }

    /// <summary>
    /// The region's box around <paramref name="centre"/>: side Length·wᵢ in dimension i, wᵢ = ℓᵢ / (Π ℓⱼ)^(1/d) (the
    /// length-scales normalised to geometric mean 1, so the box's volume is Lengthᵈ), clipped to the unit cube.
    /// </summary>
    public (double[] Low, double[] High) Box(IReadOnlyList<double> centre, IReadOnlyList<double> lengthScales)
    {
        ArgumentNullException.ThrowIfNull(centre);
        ArgumentNullException.ThrowIfNull(lengthScales);
        var d = centre.Count;
        var logMean = lengthScales.Average(Math.Log);
        var low = new double[d];
        var high = new double[d];
        for (var i = 0; i < d; i++)
        {
            var weight = Math.Exp(Math.Log(lengthScales[i]) - logMean);
            var half = Length * Math.Clamp(weight, 0.05, 20) / 2;
            low[i] = Math.Max(0, centre[i] - half);
            high[i] = Math.Min(1, centre[i] + half);
        }

        return (low, high);
    }
}
