using Seamless.Engine.Compute;

namespace Seamless.Tests.Compute;

public sealed class DeviceSpecTests
{
    [Theory]
    [InlineData(null, false, 0, WeightPrecision.Fp32)]
    [InlineData("", false, 0, WeightPrecision.Fp32)]
    [InlineData("cpu", false, 0, WeightPrecision.Fp32)]
    [InlineData("cpu/fp16", false, 0, WeightPrecision.Fp16)]
    [InlineData("cuda", true, 0, WeightPrecision.Fp16)]
    [InlineData("cuda:3", true, 3, WeightPrecision.Fp16)]
    [InlineData("cuda:1/fp32", true, 1, WeightPrecision.Fp32)]
    [InlineData(" cuda/bf16 ", true, 0, WeightPrecision.Bf16)]
    public void Parse_ValidSpec_GivesDeviceAndDefaultPrecision(string? text, bool cuda, int index, WeightPrecision precision)
    {
        Assert.Equal(new DeviceSpec(cuda, index, precision), DeviceSpec.Parse(text));
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda/fp8")]
    [InlineData("CUDA")]
    [InlineData("cpu:1")]
    [InlineData("cuda:1:2")]
    public void Parse_Malformed_ThrowsNamingTheText(string text)
    {
        var ex = Assert.Throws<EngineDeviceException>(() => DeviceSpec.Parse(text));
        Assert.Contains($"'{text}'", ex.Message, StringComparison.Ordinal);
        Assert.False(DeviceSpec.TryParse(text, out _, out var problem));
        Assert.Equal(ex.Message, problem);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("cuda:2/bf16")]
    [InlineData("cpu/fp16")]
    public void ToString_RoundTripsThroughParse(string text)
    {
        var spec = DeviceSpec.Parse(text);
        Assert.Equal(spec, DeviceSpec.Parse(spec.ToString()));
    }
}
