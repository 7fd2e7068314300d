using Seamless.Safetensors;
using static TorchSharp.torch;

namespace Seamless.Engine.Torch.Weights;

/// <summary>
/// Every weight a model loaded, under its full checkpoint key, owning the tensors. Modules keep these tensors (or views
/// of them, such as the q/k/v rows of a stacked projection), so writing new values into a tensor here in place
/// changes the model: this is how a merge is applied in memory without rebuilding anything.
/// </summary>
public sealed class WeightSet : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, Tensor> Tensors => _tensors;

    public Tensor Load(SafetensorsFile file, string key)
    {
        var tensor = TensorLoader.Load(file, key);
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
