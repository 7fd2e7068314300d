namespace Seamless.Reports.Model;

/// <summary>
/// One row of the per-category table: the recommended candidate's accuracy, each reference's (base, input models)
/// and the Δ% of the candidate against the references' average (the original system's table).
/// </summary>
public sealed record CategoryRow(string Category, double? Best, IReadOnlyList<double?> References, double? Average, double? DeltaPercent);
