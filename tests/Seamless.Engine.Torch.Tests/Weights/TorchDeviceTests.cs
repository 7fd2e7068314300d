using Seamless.Engine.Compute;
using Seamless.Engine.Torch.Weights;
using static TorchSharp.torch;

namespace Seamless.Tests.Weights;

public sealed class TorchDeviceTests
{
    [Theory]
    [InlineData("cpu", ScalarType.Float32)]
    [InlineData("cpu/fp16", ScalarType.Float16)]
    [InlineData("cpu/bf16", ScalarType.BFloat16)]
    public void Resolve_Cpu_GivesTheCpuAndTheDtype(string spec, ScalarType dtype)
    {
        var (device, actual) = TorchDevice.Resolve(DeviceSpec.Parse(spec));
        Assert.Equal(TorchSharp.DeviceType.CPU, device.type);
        Assert.Equal(dtype, actual);
    }

    [NoCudaFact]
    public void Resolve_CudaWithoutCuda_SaysHowToGetIt()
    {
        var ex = Assert.Throws<EngineDeviceException>(() => TorchDevice.Resolve(DeviceSpec.Parse("cuda")));
        Assert.Contains("-p:SeamlessTorch=cuda", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--device cpu", ex.Message, StringComparison.Ordinal);
    }

    [CudaFact]
    public void Resolve_IndexBeyondTheDevices_NamesHowManyThereAre()
    {
        var ex = Assert.Throws<EngineDeviceException>(() => TorchDevice.Resolve(new DeviceSpec(true, 99, WeightPrecision.Fp16)));
        Assert.Contains("cuda:99", ex.Message, StringComparison.Ordinal);
    }
}
