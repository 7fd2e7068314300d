namespace Seamless.Merging;

/// <summary>
/// Where <see cref="MergeExecutor"/> puts finished chunks: a safetensors file being written, or the resident weights of
/// an in-process engine. Chunks of one tensor never overlap; different tensors arrive from several threads at once.
/// </summary>
public interface ITensorSink
{
    /// <param name="task">The tensor the chunk belongs to.</param>
    /// <param name="byteOffset">Offset within the tensor, in bytes of the output dtype.</param>
    void Write(PlannedTensor task, long byteOffset, ReadOnlySpan<byte> bytes);
}
