using Seamless.Merging;

namespace Seamless.Evaluation.Generation;

/// <summary>
/// A checkpoint to draw with: its file (or, for backends that merge in memory, the <see cref="Recipe"/> that makes it),
/// a sha256 (cache keys and backend verification; for a recipe, the hash of the recipe and its inputs) and a short
/// label for file names and logs.
/// </summary>
public sealed record CandidateModel(string? Path, string Sha256, string Label)
{
    /// <summary>The merge to apply in memory, for generators whose <see cref="IImageGenerator.MergesInMemory"/> is true.</summary>
    public MergeRecipe? Recipe { get; init; }

    /// <summary>The candidate's file, or a clear error for a backend that needs one.</summary>
    public string RequireFile(string backend) =>
        Path ?? throw new Errors.EvaluationException(Label, Errors.EvaluationError.BackendFailed, $"{backend} needs a candidate file; this candidate exists only as an in-memory recipe");
}
