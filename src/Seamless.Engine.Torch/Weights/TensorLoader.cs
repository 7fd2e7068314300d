using Seamless.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Seamless.Engine.Torch.Weights;

/// <summary>
/// Checkpoint tensors as TorchSharp tensors: raw little-endian bytes copied once into a tensor of the stored dtype
/// (<c>torch.empty</c> then <c>.bytes</c>; TorchSharp has no typed view of a byte buffer), then cast to the compute dtype
/// (floating tensors only) and moved to the compute device.
/// </summary>
public static class TensorLoader
{
    public static Tensor Load(SafetensorsFile file, string key, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!file.TryGet(key, out var info))
        {
            throw new KeyNotFoundException($"{file.Path}: no tensor '{key}'");
        }

        var stored = info.DType switch
        {
            DType.F32 => ScalarType.Float32,
            DType.F16 => ScalarType.Float16,
            DType.BF16 => ScalarType.BFloat16,
            DType.I64 => ScalarType.Int64,
            DType.F64 => ScalarType.Float64,
            _ => throw new NotSupportedException($"{file.Path}: tensor '{key}' has dtype {info.DType}, which the engine does not load"),
        };
        using var raw = empty(info.Shape.ToArray(), stored);
        raw.bytes = file.ReadAll(info);
        var target = stored == ScalarType.Int64 ? stored : dtype;
        if (device is not null && device.type != DeviceType.CPU)
        {
            return raw.to(target, device);
        }

        return stored == target ? raw.clone() : raw.to_type(target);
    }
}
