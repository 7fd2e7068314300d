namespace Seamless.Search.Studies;

/// <summary>One evaluation of one point at a fidelity (1 = full): what was asked, how it ended, and what it scored.</summary>
public sealed record Trial(
    long Id,
    int Number,
    TrialState State,
    IReadOnlyDictionary<string, double> Parameters,
    double? Value = null,
    double? NoiseVariance = null,
    double? IntervalLow = null,
    double? IntervalHigh = null,
    IReadOnlyDictionary<string, double>? Categories = null,
    string? Error = null,
    string? Worker = null,
    DateTimeOffset? Started = null,
    DateTimeOffset? Finished = null,
    int Attempts = 0,
    double Fidelity = 1,
    IReadOnlyDictionary<string, double>? Metrics = null,
    DateTimeOffset? Heartbeat = null)
{
    public TimeSpan? Duration => Started is { } s && Finished is { } f ? f - s : null;
}
