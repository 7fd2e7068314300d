namespace Seamless.Search.Optimizers;

/// <summary>
/// A scored point in the unit cube. <see cref="Value"/> is maximised. <see cref="NoiseVariance"/> is the known
/// variance of the score when it is an estimate (e.g. p(1−p)/n for a binomial accuracy), or null.
/// </summary>
public sealed record Observation(double[] Point, double Value, double? NoiseVariance = null);
