using Seamless.Engine.Torch.Vae;
using Seamless.Engine.Torch.Weights;
using Seamless.Safetensors;
using static TorchSharp.torch;

namespace Seamless.Tests.Vae;

/// <summary>Against ../shared/golden/vae_decoder_tiny.safetensors (CompVis ldm Decoder, tiny random weights).</summary>
public sealed class VaeDecoderTests
{
    [SharedDataFact]
    public void Decode_TinyVae_MatchesReferenceImage()
    {
        using var scope = NewDisposeScope();
        using var file = SafetensorsFile.Open(SharedData.File("golden/vae_decoder_tiny.safetensors")!);
        using var vae = VaeDecoder.Load(file);
        var decoded = vae.Decode(TensorLoader.Load(file, "test.latent"));
        var expected = TensorLoader.Load(file, "test.decoder_out");
        Assert.Equal(expected.shape, decoded.shape);
        Assert.True(allclose(decoded, expected, rtol: 1e-4, atol: 1e-4), $"max |diff| {(decoded - expected).abs().max().item<float>()}");

        var bytes = VaeDecoder.ToRgbBytes(decoded);
        var golden = file.ReadAll(file["test.image_u8_hwc"]);
        Assert.Equal(golden.Length, bytes.Length);
        Assert.All(golden.Zip(bytes), p => Assert.InRange(p.First - p.Second, -1, 1));
    }
}
