namespace Seamless.Search.Studies;

/// <summary>How a finished trial ended, as written to the store in one transaction.</summary>
public sealed record TrialResult(
    TrialState State,
    double? Value = null,
    double? NoiseVariance = null,
    double? IntervalLow = null,
    double? IntervalHigh = null,
    IReadOnlyDictionary<string, double>? Categories = null,
    string? Error = null,
    IReadOnlyDictionary<string, double>? Metrics = null);
