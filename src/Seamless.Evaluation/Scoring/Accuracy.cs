namespace Seamless.Evaluation.Scoring;

/// <summary>
/// detected / pairs with a 95 % interval clustered by prompt. <see cref="EffectivePairs"/> is the number of
/// independent Bernoulli pairs with the same variance (pairs ÷ design effect): what the optimiser's noise model
/// should be told.
/// </summary>
public sealed record Accuracy(double Value, double Low, double High, long Pairs, long Detected, double EffectivePairs)
{
    public static readonly Accuracy Empty = new(double.NaN, double.NaN, double.NaN, 0, 0, 0);
}
