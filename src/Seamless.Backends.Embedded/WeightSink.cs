using System.Buffers;
using Seamless.Merging;
using Seamless.Numerics;
using Seamless.Safetensors;
using static TorchSharp.torch;

namespace Seamless.Backends.Embedded;

/// <summary>
/// The executor's sink for a merge in memory: each chunk, in the plan's output dtype (as the file merge would store
/// it), is widened to fp32 and copied into the resident tensor of the same key at the same element offset. The
/// tensors are CPU fp32 and contiguous (as <c>TensorLoader</c> makes them), so the copy lands in place.
/// </summary>
internal sealed class WeightSink(IReadOnlyDictionary<string, Tensor> weights) : ITensorSink
{
    public void Write(PlannedTensor task, long byteOffset, ReadOnlySpan<byte> bytes)
    {
        var target = weights[task.Output.Name];
        var dtype = task.Output.DType;
        var size = dtype.Size();
        var n = bytes.Length / size;
        var buffer = ArrayPool<float>.Shared.Rent(n);
        try
        {
            TensorConvert.ToSingle(bytes, dtype, buffer.AsSpan(0, n));
            var accessor = target.data<float>();
            accessor.CopyFrom(buffer.AsSpan(0, n), 0, byteOffset / size);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
