using System.Runtime.InteropServices;
using Seamless.Merging;
using Seamless.Numerics;
using Seamless.Safetensors;
using static TorchSharp.torch;

namespace Seamless.Backends.Embedded;

/// <summary>
/// The executor's sink for a merge in memory: each chunk, in the plan's output dtype (as the file merge would store
/// it), is widened to fp32 straight into the resident tensor of the same key at the same element offset, so the
/// engine ends up with exactly the values it would load from the merged file. The tensors are CPU fp32 and contiguous
/// (as <c>TensorLoader</c> makes them); their storage is written through its data pointer, because TorchSharp's
/// element accessor copies one element at a time.
/// </summary>
internal sealed partial class WeightSink(IReadOnlyDictionary<string, Tensor> weights) : ITensorSink
{
    public unsafe void Write(PlannedTensor task, long byteOffset, ReadOnlySpan<byte> bytes)
    {
        var target = weights[task.Output.Name];
        var dtype = task.Output.DType;
        var size = dtype.Size();
        var n = bytes.Length / size;
        var offset = byteOffset / size;
        if (target.dtype != ScalarType.Float32 || !target.is_contiguous() || offset + n > target.NumberOfElements)
        {
            throw new InvalidOperationException($"'{task.Output.Name}' cannot take {n} values at {offset}: the resident tensor is {target.dtype}, {target.NumberOfElements} elements");
        }

        var data = (float*)Data(target.Handle);
        TensorConvert.ToSingle(bytes, dtype, new Span<float>(data + offset, n));
    }

    // TorchSharp's own native entry point for a tensor's data pointer (the one its accessors use).
    [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_data")]
    private static partial IntPtr Data(IntPtr handle);
}
