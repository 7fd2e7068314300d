namespace Seamless.Search.Objectives;

/// <summary>
/// A score: the value, optionally per-category values, the number of Bernoulli pairs it was estimated from (then
/// its variance is p(1−p)/n) and an interval. <see cref="Pruned"/>: the evaluation stopped early because it could
/// not beat the incumbent; the value is the unbiased partial estimate. <see cref="Metrics"/>: other measurements of
/// the candidate kept in the trial record (for example <c>diversity</c>, or the raw <c>accuracy</c> when a constraint
/// penalised the value).
/// </summary>
public sealed record ObjectiveResult(double Value, IReadOnlyDictionary<string, double>? Categories = null, long? Count = null, double? IntervalLow = null, double? IntervalHigh = null, bool Pruned = false, IReadOnlyDictionary<string, double>? Metrics = null)
{
    /// <summary>Binomial variance when the value is a proportion estimated from <see cref="Count"/> pairs.</summary>
    public double? NoiseVariance => Count is > 0 && Value is >= 0 and <= 1 ? Value * (1 - Value) / Count.Value : null;
}
