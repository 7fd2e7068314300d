using Seamless.Safetensors;

namespace Seamless.Tests.TestSupportCli;

/// <summary>A safetensors file with named one-element F32 tensors.</summary>
public sealed class TinyFile
{
    private readonly List<string> _keys = [];

    public TinyFile Add(string key)
    {
        _keys.Add(key);
        return this;
    }

    public void Write(string path) =>
        SafetensorsWriter.WriteAll(path, _keys.Select(k => (new TensorSpec(k, DType.F32, [1]), new byte[4])).ToList(), null);
}
