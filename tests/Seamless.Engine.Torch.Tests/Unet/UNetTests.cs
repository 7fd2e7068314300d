using Seamless.Engine.Torch.Unet;
using Seamless.Engine.Torch.Weights;
using Seamless.Safetensors;
using static TorchSharp.torch;

namespace Seamless.Tests.Unet;

/// <summary>Against ../shared/golden/unet_sd1_tiny.safetensors (CompVis UNetModel, tiny random weights; atol 1e-4 + rtol 1e-4).</summary>
public sealed class UNetTests
{
    [SharedDataFact]
    public void Forward_TinySd1_MatchesReferenceEps()
    {
        using var scope = NewDisposeScope();
        using var file = SafetensorsFile.Open(SharedData.File("golden/unet_sd1_tiny.safetensors")!);
        using var unet = UNet.Load(file, heads: 2);
        var t = TensorLoader.Load(file, "test.timesteps");
        Assert.True(allclose(UNet.TimestepEmbedding(t, unet.ModelChannels)[0].unsqueeze(0), TensorLoader.Load(file, "debug.t_emb"), rtol: 1e-4, atol: 1e-5), "timestep embedding");
        var eps = unet.Forward(TensorLoader.Load(file, "test.x"), t, TensorLoader.Load(file, "test.context"));
        var expected = TensorLoader.Load(file, "test.eps");
        Assert.Equal(expected.shape, eps.shape);
        Assert.True(allclose(eps, expected, rtol: 1e-4, atol: 1e-4), $"max |diff| {(eps - expected).abs().max().item<float>()}");
    }

    [SharedDataFact]
    public void Forward_TinySdxl_MatchesReferenceEpsWithVectorConditioning()
    {
        using var scope = NewDisposeScope();
        using var file = SafetensorsFile.Open(SharedData.File("golden/unet_sdxl_tiny.safetensors")!);
        using var unet = UNet.Load(file, headDim: 16);
        var sizeEmb = UNet.SizeEmbedding(TensorLoader.Load(file, "test.size_cond"));
        var expectedSize = TensorLoader.Load(file, "test.size_emb");
        Assert.True(allclose(sizeEmb, expectedSize, rtol: 1e-4, atol: 1e-4), $"size embedding: max |diff| {(sizeEmb - expectedSize).abs().max().item<float>()} at {(sizeEmb - expectedSize).abs().argmax().item<long>()}");
        var y = cat([TensorLoader.Load(file, "test.pooled"), sizeEmb], 1);
        var eps = unet.Forward(TensorLoader.Load(file, "test.x"), TensorLoader.Load(file, "test.timesteps"), TensorLoader.Load(file, "test.context"), y);
        var expected = TensorLoader.Load(file, "test.eps");
        Assert.True(allclose(eps, expected, rtol: 1e-4, atol: 1e-4), $"max |diff| {(eps - expected).abs().max().item<float>()}");
    }
}
