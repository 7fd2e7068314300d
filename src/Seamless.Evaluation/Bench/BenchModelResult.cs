using Seamless.Evaluation.Scoring;

namespace Seamless.Evaluation.Bench;

/// <summary>
/// One model's bench scores: the main protocol's report, accuracy per tag count (prompts of n tags) and, with an image
/// encoder, diversity per tag count.
/// </summary>
public sealed record BenchModelResult(string Path, string Sha256, AccuracyReport Report, IReadOnlyDictionary<int, Accuracy> ByTagCount, IReadOnlyDictionary<int, double>? DiversityByTagCount = null);
