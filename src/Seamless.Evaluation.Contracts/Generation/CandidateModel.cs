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

    /// <summary>
    /// The VAE to decode with, as the original benchmark set <c>sd_vae</c> per model: a name the server lists (A1111's
    /// models/VAE, ComfyUI's models/vae; <c>None</c> for A1111's "the checkpoint's own") or, for the embedded engine, a
    /// .safetensors file. Null: the backend's default (the checkpoint's VAE unless the server is set otherwise).
    /// </summary>
    public string? Vae { get; init; }

    /// <summary>The study trial this candidate is (null for references and checks): lets per-trial sinks file what they keep. Not part of any cache key.</summary>
    public int? Trial { get; init; }

    /// <summary>
    /// An in-memory candidate. Its cache identity is the sha256 of the recipe with every input named by its content
    /// hash (so a renamed input changes nothing and an edited one changes everything).
    /// </summary>
    public static CandidateModel FromRecipe(MergeRecipe recipe, Hashing.FileHasher hasher, string label)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(hasher);
        string Id(string path) => hasher.Hash(path).Sha256;
        var text = new System.Text.StringBuilder()
            .Append("recipe/1|").Append(recipe.Method).Append('|').Append(recipe.OutputDType).Append('|').Append(recipe.BlockMapOptions.Describe())
            .Append("|base=").Append(Id(recipe.BasePath));
        foreach (var m in recipe.Models)
        {
            text.Append("|model=").Append(Id(m.Path)).Append(':').Append(m.Subtract is null ? "-" : Id(m.Subtract)).Append(':').Append(m.Weights.Text);
        }

        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
        return new CandidateModel(null, sha, label) { Recipe = recipe };
    }

    /// <summary>The candidate's file, or a clear error for a backend that needs one.</summary>
    public string RequireFile(string backend) =>
        Path ?? throw new Errors.EvaluationException(Label, Errors.EvaluationError.BackendFailed, $"{backend} needs a candidate file; this candidate exists only as an in-memory recipe");
}
