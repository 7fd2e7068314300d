namespace Seamless.Reports.Model;

/// <summary>One finished trial on the score chart: its value, interval (when known), fidelity and best-so-far.</summary>
public sealed record TrialPoint(int Number, double Value, double? Low, double? High, double Fidelity, double BestSoFar);
