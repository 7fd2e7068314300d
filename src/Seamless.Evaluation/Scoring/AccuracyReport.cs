namespace Seamless.Evaluation.Scoring;

/// <summary>
/// Overall and per-category accuracy of one candidate, with the per-prompt outcomes they came from.
/// <see cref="Stopped"/>: sequential early stopping ended the evaluation before the last prompt.
/// </summary>
public sealed record AccuracyReport(Accuracy Overall, IReadOnlyDictionary<string, Accuracy> Categories, IReadOnlyList<PromptOutcome> Prompts, bool Stopped = false);
