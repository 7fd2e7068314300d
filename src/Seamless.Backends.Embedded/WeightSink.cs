using System.Runtime.InteropServices;
using Seamless.Merging;
using Seamless.Numerics;
using Seamless.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Seamless.Backends.Embedded;

/// <summary>
/// The executor's sink for a merge in memory: each chunk, in the plan's output dtype (as the file merge would store
/// it), goes into the resident tensor of the same key at the same element offset, so the engine ends up with exactly
/// the values it would load from the merged file. A CPU fp32 tensor (the default engine) is written through its data
/// pointer, because TorchSharp's element accessor copies one element at a time; a tensor on a GPU or in fp16/bf16 gets
/// the chunk widened to fp32 on the host and copied into its slice, and libtorch narrows it as loading the file would.
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
        if (!target.is_contiguous() || offset + n > target.NumberOfElements || !target.is_floating_point())
        {
            throw new InvalidOperationException($"'{task.Output.Name}' cannot take {n} values at {offset}: the resident tensor is {target.dtype}, {target.NumberOfElements} elements");
        }

        if (target.dtype == ScalarType.Float32 && target.device_type == DeviceType.CPU)
        {
            var data = (float*)Data(target.Handle);
            TensorConvert.ToSingle(bytes, dtype, new Span<float>(data + offset, n));
            return;
        }

        var staged = new float[n];
        TensorConvert.ToSingle(bytes, dtype, staged);
        using var host = tensor(staged);
        using var slice = target.view(-1).narrow(0, offset, n);
        slice.copy_(host);
    }

    // TorchSharp's own native entry point for a tensor's data pointer (the one its accessors use).
    [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_data")]
    private static partial IntPtr Data(IntPtr handle);
}
