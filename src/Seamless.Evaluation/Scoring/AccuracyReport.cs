namespace Seamless.Evaluation.Scoring;

/// <summary>
/// Overall and per-category accuracy of one candidate, with the per-prompt outcomes they came from.
/// <see cref="Stopped"/>: sequential early stopping ended the evaluation before the last prompt.
/// <see cref="Diversity"/>: 1 − the mean CLIP similarity of consecutive images of a prompt, when an image encoder was
/// given (null otherwise, or with one image per prompt).
/// </summary>
public sealed record AccuracyReport(Accuracy Overall, IReadOnlyDictionary<string, Accuracy> Categories, IReadOnlyList<PromptOutcome> Prompts, bool Stopped = false, double? Diversity = null);
