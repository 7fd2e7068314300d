using Seamless.Architecture;
using Seamless.Errors;
using Seamless.Safetensors;

namespace Seamless.Tests.Architecture;

public sealed class ArchitectureDetectorTests
{
    private static Dictionary<string, TensorInfo> Keys(params (string Key, long[] Shape)[] keys) =>
        keys.ToDictionary(k => k.Key, k => new TensorInfo(k.Key, DType.F16, k.Shape, 0, 2 * k.Shape.Aggregate(1L, (a, d) => a * d)));

    private static Dictionary<string, TensorInfo> Keys(params string[] keys) => Keys(keys.Select(k => (k, new long[] { 1 })).ToArray());

    [Fact]
    public void Detect_EmbeddedSd15Manifest_IsSd1() =>
        Assert.Equal(ModelArchitecture.SD1, ArchitectureDetector.Detect(Keys(ArchitectureManifest.Sd15.Tensors.Select(t => t.Name).ToArray()), "x"));

    [Fact]
    public void Detect_EmbeddedSdxlManifest_IsSdxl() =>
        Assert.Equal(ModelArchitecture.SDXL, ArchitectureDetector.Detect(Keys(ArchitectureManifest.Sdxl.Tensors.Select(t => t.Name).ToArray()), "x"));

    [Fact]
    public void Detect_OpenClipTextEncoder_IsSd2() =>
        Assert.Equal(ModelArchitecture.SD2, ArchitectureDetector.Detect(Keys("model.diffusion_model.input_blocks.11.0.weight", "cond_stage_model.model.ln_final.weight"), "x"));

    [Fact]
    public void Detect_UnetAloneWith1024Context_IsSd2() =>
        Assert.Equal(ModelArchitecture.SD2, ArchitectureDetector.Detect(Keys(
            ("model.diffusion_model.input_blocks.11.0.weight", [1]),
            ("model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight", [320, 1024])), "x"));

    [Theory]
    [InlineData("lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight", "LoRA")]
    [InlineData("decoder.conv_in.weight|quant_conv.weight", "VAE alone")]
    [InlineData("down_blocks.0.resnets.0.conv1.weight", "diffusers")]
    [InlineData("cond_stage_model.transformer.text_model.final_layer_norm.weight", "text encoder")]
    [InlineData("foo.bar", "not a Stable Diffusion checkpoint")]
    public void Detect_NotACheckpoint_SaysWhatItIs(string keys, string expected)
    {
        var e = Assert.Throws<CheckpointException>(() => ArchitectureDetector.Detect(Keys(keys.Split('|')), "f.safetensors"));
        Assert.Equal(CheckpointError.NotAFullCheckpoint, e.Reason);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("f.safetensors: ", e.Message, StringComparison.Ordinal);
    }
}
