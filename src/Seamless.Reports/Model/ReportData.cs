using Seamless.Search.Studies;

namespace Seamless.Reports.Model;

/// <summary>
/// Everything a report shows, computed from a study and nothing else, so it can be tested on a recorded study
/// without rendering: the score series, the recommended trial, the category table, the best recipe's block weights,
/// parameter sensitivity, the best-so-far curve by posterior mean and the trial table.
/// </summary>
public sealed record ReportData(
    string StudyName,
    string Storage,
    StudyConfig Config,
    IReadOnlyList<Trial> Trials,
    IReadOnlyList<TrialPoint> Series,
    Trial? Recommended,
    IReadOnlyList<string> ReferenceNames,
    IReadOnlyList<CategoryRow> Categories,
    IReadOnlyList<string> HeatmapModels,
    IReadOnlyList<string> HeatmapBlocks,
    double[,]? Heatmap,
    IReadOnlyList<(string Parameter, double Importance)> Sensitivity,
    int Failed,
    int Pruned,
    DateTimeOffset Generated,
    HeldOutCheck? HeldOut = null)
{
    /// <summary>Best-so-far by posterior mean with its interval (<see cref="IncumbentCurve"/>); empty for tiny studies.</summary>
    public IReadOnlyList<IncumbentPoint> Incumbents { get; init; } = [];

    /// <summary>The model's estimate of the recommended trial's true score at the end of the curve, when there is one.</summary>
    public IncumbentPoint? FinalEstimate => Incumbents.Count > 0 && Recommended is { } r && Incumbents[^1].Incumbent == r.Number ? Incumbents[^1] : null;
}
