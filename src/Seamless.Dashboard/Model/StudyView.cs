using System.Text.Json.Serialization;

namespace Seamless.Dashboard.Model;

/// <summary>
/// Everything the study page shows but the trial table (<see cref="TrialQuery"/> pages it), built from <see cref="Seamless.Reports.Model.ReportData"/> (the report's model).
/// </summary>
public sealed record StudyView(
    StudySummary Summary,
    string Storage,
    string? BaseModel,
    IReadOnlyList<string> Parameters,
    ScoreWithInterval? Recommended,
    EstimateView? Estimate,
    IReadOnlyDictionary<string, string> Charts,
    IReadOnlyList<string> References,
    IReadOnlyList<CategoryView> Categories,
    HeldOutView? HeldOut,
    IReadOnlyList<RoundView> Lineage,
    ExportView? Export,
    SampleComparison? Samples);

/// <summary>
/// One trial for the table; <see cref="Params"/> in the order of <see cref="StudyView.Parameters"/>. Absent fields are
/// left out of the JSON: a 10 000-trial view is mostly these rows.
/// </summary>
public sealed record TrialRow(
    int N,
    string State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Value,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Low,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? High,
    double Fidelity,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Seconds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Worker,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error,
    IReadOnlyList<double?> Params,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, double>? Metrics);

/// <summary>The model's estimate of the recommendation's true score.</summary>
public sealed record EstimateView(double Mean, double Low, double High);

/// <summary>One row of the per-category table.</summary>
public sealed record CategoryView(string Category, double? Best, IReadOnlyList<double?> References, double? Average, double? DeltaPercent);

/// <summary>The recommendation re-measured on prompts the search never saw.</summary>
public sealed record HeldOutView(int Trial, double SearchValue, double Value, double Low, double High, int Prompts);

/// <summary>One round of a rounds search: its study and its best trial.</summary>
public sealed record RoundView(int Round, string Study, ScoreWithInterval? Best);

/// <summary>A trial's recipe in the forms people paste elsewhere.</summary>
public sealed record ExportView(int Trial, string Yaml, IReadOnlyList<ModelWeights> Supermerger, string MergeCommand, string BestCommand);

/// <summary>A model's supermerger weight string.</summary>
public sealed record ModelWeights(string Model, string Weights);

/// <summary>Sample images of two trials for the same prompts and seeds, with each prompt tag found or missed.</summary>
public sealed record SampleComparison(int Left, int Right, IReadOnlyList<SamplePair> Prompts);

/// <summary>One prompt: its tags, and each side's image URL and found flags (null where that trial kept no sample).</summary>
public sealed record SamplePair(int Prompt, int Seed, IReadOnlyList<string> Tags, SampleView? Left, SampleView? Right);

/// <summary>One kept image and which of the prompt's tags the tagger found in it.</summary>
public sealed record SampleView(string Url, IReadOnlyList<bool> Found);
