using System.Globalization;
using Seamless.Engine.Compute;
using TorchSharp;
using static TorchSharp.torch;

namespace Seamless.Engine.Torch.Weights;

/// <summary>A <see cref="DeviceSpec"/> as libtorch sees it, checked against what this build and machine have.</summary>
public static class TorchDevice
{
    public static (Device Device, ScalarType DType) Resolve(DeviceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var dtype = spec.Precision switch
        {
            WeightPrecision.Fp16 => ScalarType.Float16,
            WeightPrecision.Bf16 => ScalarType.BFloat16,
            _ => ScalarType.Float32,
        };
        if (!spec.Cuda)
        {
            return (CPU, dtype);
        }

        if (!cuda.is_available())
        {
            throw new EngineDeviceException(
                "CUDA was asked for, but libtorch sees no CUDA device: either this build carries the CPU libtorch " +
                "(rebuild with -p:SeamlessTorch=cuda, see docs/engine.md) or no NVIDIA GPU and driver are visible; use --device cpu");
        }

        var count = cuda.device_count();
        if (spec.Index >= count)
        {
            throw new EngineDeviceException(string.Create(CultureInfo.InvariantCulture, $"cuda:{spec.Index} was asked for, but this machine has {count} CUDA device(s) (cuda:0 … cuda:{count - 1})"));
        }

        return (new Device(DeviceType.CUDA, spec.Index), dtype);
    }
}
