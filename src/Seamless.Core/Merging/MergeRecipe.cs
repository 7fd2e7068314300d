using Seamless.Architecture;
using Seamless.Safetensors;

namespace Seamless.Merging;

/// <summary>
/// What to merge: a base model A, models M1…Mk with per-block weights, a method and an output dtype. Immutable;
/// build it with <see cref="RecipeLoader"/> (files, flags) which validates everything it can without opening models.
/// </summary>
public sealed record MergeRecipe(
    string BasePath,
    string Method,
    IReadOnlyList<RecipeModel> Models,
    DType OutputDType = DType.F16,
    BlockMapOptions? BlockMap = null)
{
    public BlockMapOptions BlockMapOptions => BlockMap ?? BlockMapOptions.Default;

    /// <summary>Every distinct input file, base first.</summary>
    public IReadOnlyList<string> InputPaths =>
        new[] { BasePath }.Concat(Models.SelectMany(m => m.Subtract is null ? [m.Path] : new[] { m.Path, m.Subtract }))
            .Distinct(StringComparer.Ordinal).ToList();
}
