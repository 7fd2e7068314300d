using Seamless.Engine.Compute;
using Seamless.Safetensors;
using static TorchSharp.torch;

namespace Seamless.Engine.Torch.Weights;

/// <summary>
/// Every weight a model loaded, under its full checkpoint key, owning the tensors. Modules keep these tensors (or views
/// of them, such as the q/k/v rows of a stacked projection), so writing new values into a tensor here in place
/// changes the model: this is how a merge is applied in memory without rebuilding anything. The set decides where the
/// tensors live and in which dtype (<see cref="DeviceSpec"/>); modules compute in their weights' device and dtype.
/// </summary>
public sealed class WeightSet : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);

    public WeightSet(DeviceSpec? spec = null)
    {
        Spec = spec ?? DeviceSpec.Cpu;
        (Device, DType) = TorchDevice.Resolve(Spec);
    }

    public DeviceSpec Spec { get; }

    public Device Device { get; }

    /// <summary>The floating-point dtype of the weights, unless a module asks for another (the VAE keeps fp32).</summary>
    public ScalarType DType { get; }

    public IReadOnlyDictionary<string, Tensor> Tensors => _tensors;

    /// <summary>Loads <paramref name="key"/> onto the set's device, floating tensors in <paramref name="dtype"/> (default: the set's).</summary>
    public Tensor Load(SafetensorsFile file, string key, ScalarType? dtype = null)
    {
        var tensor = TensorLoader.Load(file, key, dtype ?? DType, Device);
        if (_tensors.Remove(key, out var previous))
        {
            previous.Dispose();
        }

        _tensors[key] = tensor;
        return tensor;
    }

    /// <summary>Sum of the tensors' sizes in bytes.</summary>
    public long Bytes => _tensors.Values.Sum(t => t.NumberOfElements * t.ElementSize);

    public void Dispose()
    {
        foreach (var t in _tensors.Values)
        {
            t.Dispose();
        }

        _tensors.Clear();
    }
}
