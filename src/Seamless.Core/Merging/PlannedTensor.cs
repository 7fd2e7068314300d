using Seamless.Safetensors;

namespace Seamless.Merging;

/// <summary>
/// How one output tensor is produced: a raw byte copy of an input tensor (<see cref="RawCopy"/>: non-float
/// tensors, buffers, or a lone coefficient of 1 in the output dtype), or the fp32 sum Σ cᵢ·sourceᵢ converted to the
/// output dtype. No sources and no raw copy means zeros.
/// </summary>
public sealed record PlannedTensor(int Index, TensorSpec Output, string? Block, IReadOnlyList<PlannedSource> Sources, bool RawCopy);
