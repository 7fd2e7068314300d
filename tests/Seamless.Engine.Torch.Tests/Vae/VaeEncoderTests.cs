using Seamless.Engine.Torch.Vae;
using Seamless.Engine.Torch.Weights;
using Seamless.Safetensors;
using static TorchSharp.torch;

namespace Seamless.Tests.Vae;

/// <summary>Against the encoder check of ../shared/golden/pipeline_sd1_tiny.safetensors (CompVis ldm Encoder + quant_conv, tiny random weights).</summary>
public sealed class VaeEncoderTests
{
    [SharedDataFact]
    public void Moments_TinyVae_MatchReference()
    {
        using var scope = NewDisposeScope();
        using var file = SafetensorsFile.Open(SharedData.File("golden/pipeline_sd1_tiny.safetensors")!);
        using var vae = VaeEncoder.Load(file);
        var moments = vae.Moments(TensorLoader.Load(file, "test.encode.input"));
        var expected = TensorLoader.Load(file, "test.encode.moments");
        Assert.Equal(expected.shape, moments.shape);
        Assert.True(allclose(moments, expected, rtol: 1e-4, atol: 1e-4), $"max |diff| {(moments - expected).abs().max().item<float>()}");
    }

    [SharedDataFact]
    public void Encode_Deterministic_IsScaledMean()
    {
        using var scope = NewDisposeScope();
        using var file = SafetensorsFile.Open(SharedData.File("golden/pipeline_sd1_tiny.safetensors")!);
        using var vae = VaeEncoder.Load(file);
        var latent = vae.Encode(TensorLoader.Load(file, "test.encode.input"));
        var expected = TensorLoader.Load(file, "test.encode.latent");
        Assert.True(allclose(latent, expected, rtol: 1e-4, atol: 1e-4), $"max |diff| {(latent - expected).abs().max().item<float>()}");
    }

    [SharedDataFact]
    public void Encode_WithGenerator_SamplesAroundMeanWithItsVariance()
    {
        using var scope = NewDisposeScope();
        using var file = SafetensorsFile.Open(SharedData.File("golden/pipeline_sd1_tiny.safetensors")!);
        using var vae = VaeEncoder.Load(file);
        var input = TensorLoader.Load(file, "test.encode.input");
        var moments = vae.Moments(input);
        var mean = moments.chunk(2, 1)[0] * 0.18215;
        var std = (moments.chunk(2, 1)[1].clamp(-30, 20) * 0.5).exp() * 0.18215;

        var first = vae.Encode(input, generator: new Generator(7));
        var again = vae.Encode(input, generator: new Generator(7));
        Assert.Equal(first.data<float>().ToArray(), again.data<float>().ToArray());

        // The standardised deviations are the generator's normal draws: mean ≈ 0, variance ≈ 1 over 1024 values.
        var z = (first - mean) / std;
        Assert.InRange(z.mean().item<float>(), -0.15, 0.15);
        Assert.InRange(z.var().item<float>(), 0.8, 1.2);
    }

    [SharedDataFact]
    public void Load_DecoderOnlyFile_NamesTheFileAndWhatIsMissing()
    {
        using var file = SafetensorsFile.Open(SharedData.File("golden/vae_decoder_tiny.safetensors")!);
        var ex = Assert.Throws<KeyNotFoundException>(() => VaeEncoder.Load(file));
        Assert.Contains("vae_decoder_tiny.safetensors: no VAE encoder under 'first_stage_model.encoder.'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromRgbBytes_RoundTripsThroughToRgbBytes()
    {
        using var scope = NewDisposeScope();
        var bytes = Enumerable.Range(0, 4 * 5 * 3).Select(i => (byte)((i * 37) % 256)).ToArray();
        var image = VaeEncoder.FromRgbBytes(bytes, 4, 5);
        Assert.Equal(new long[] { 1, 3, 4, 5 }, image.shape);
        Assert.InRange(image.min().item<float>(), -1f, 1f);
        Assert.InRange(image.max().item<float>(), -1f, 1f);

        // ToRgbBytes truncates: (x/127.5 − 1 + 1)/2·255 = x, up to float rounding just below an integer.
        var back = VaeDecoder.ToRgbBytes(image);
        Assert.All(bytes.Zip(back), p => Assert.InRange(p.First - p.Second, 0, 1));
    }

    [Fact]
    public void FromRgbBytes_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => VaeEncoder.FromRgbBytes(new byte[10], 4, 5));
    }
}
