namespace Seamless.Evaluation.Scoring;

/// <summary>Overall and per-category accuracy of one candidate, with the per-prompt outcomes they came from.</summary>
public sealed record AccuracyReport(Accuracy Overall, IReadOnlyDictionary<string, Accuracy> Categories, IReadOnlyList<PromptOutcome> Prompts);
