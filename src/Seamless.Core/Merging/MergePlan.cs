using Seamless.Architecture;
using Seamless.Safetensors;

namespace Seamless.Merging;

/// <summary>The per-tensor tasks of a merge, with the output layout they fill. Built by <see cref="MergePlanner"/>, run by <see cref="MergeExecutor"/>.</summary>
public sealed record MergePlan(
    MergeRecipe Recipe,
    ModelArchitecture Architecture,
    BlockMap BlockMap,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<BlockWeights> ModelWeights,
    IReadOnlyList<PlannedTensor> Tensors,
    IReadOnlyList<string> Warnings)
{
    public IReadOnlyList<TensorSpec> OutputSpecs => Tensors.Select(t => t.Output).ToList();

    public long OutputBytes => Tensors.Sum(t => t.Output.ByteLength);

    /// <summary>Bytes the executor reads from the inputs (zero-weight terms are never read).</summary>
    public long InputBytes => Tensors.Sum(t => t.Sources.Sum(s => s.Tensor.ByteLength));
}
