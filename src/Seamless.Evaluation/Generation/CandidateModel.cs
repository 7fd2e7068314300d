namespace Seamless.Evaluation.Generation;

/// <summary>
/// A checkpoint to draw with: its file, sha256 (cache keys and backend verification) and a short label for
/// file names and logs.
/// </summary>
public sealed record CandidateModel(string Path, string Sha256, string Label);
