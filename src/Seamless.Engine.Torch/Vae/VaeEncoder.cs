using Seamless.Engine.Torch.Weights;
using Seamless.Safetensors;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seamless.Engine.Torch.Vae;

/// <summary>
/// The AutoencoderKL encoder in the CompVis key layout (<c>first_stage_model.encoder.conv_in</c>,
/// <c>encoder.down.N.{block.M, downsample}</c> from N = 0 up, <c>encoder.mid</c>, <c>encoder.norm_out</c>,
/// <c>encoder.conv_out</c>, then <c>quant_conv</c>): the image (−1…1) becomes the moments of a diagonal Gaussian,
/// mean in the first half of the channels and log-variance in the second. Downsampling pads right and bottom by one
/// and runs a stride-2 3×3 conv without padding, as ldm's <c>Downsample</c> does. Depth and widths come from the weights.
/// </summary>
public sealed class VaeEncoder : IDisposable
{
    private readonly VaeLayers _layers;
    private readonly int _levels;
    private readonly int _blocks;
    private readonly WeightSet? _owned;

    private VaeEncoder(VaeLayers layers, int levels, int blocks, WeightSet? owned)
    {
        _layers = layers;
        _levels = levels;
        _blocks = blocks;
        _owned = owned;
    }

    /// <summary>Loads the encoder; the tensors go into <paramref name="weightSet"/> when given (its owner disposes them).</summary>
    public static VaeEncoder Load(SafetensorsFile file, string prefix = "first_stage_model.", WeightSet? weightSet = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!file.TryGet(prefix + "encoder.conv_in.weight", out _) || !file.TryGet(prefix + "quant_conv.weight", out _))
        {
            throw new KeyNotFoundException($"{file.Path}: no VAE encoder under '{prefix}encoder.' with its '{prefix}quant_conv'");
        }

        var owned = weightSet is null ? new WeightSet() : null;
        var weights = VaeLayers.Load(file, prefix, weightSet ?? owned!, "encoder.", "quant_conv.");
        var levels = VaeLayers.Count(weights, "encoder.down.", ".block.0.conv1.weight");
        var blocks = VaeLayers.Count(weights, "encoder.down.0.block.", ".conv1.weight");
        if (levels == 0 || blocks == 0)
        {
            owned?.Dispose();
            throw new KeyNotFoundException($"{file.Path}: no VAE encoder blocks under '{prefix}encoder.down.'");
        }

        return new VaeEncoder(new VaeLayers(weights), levels, blocks, owned);
    }

    /// <summary>The moments [B, 2·z, H/f, W/f] of an image [B, 3, H, W] scaled to −1…1.</summary>
    public Tensor Moments(Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var scope = NewDisposeScope();
        var h = _layers.Conv("encoder.conv_in", _layers.Input(image), 1);
        for (var level = 0; level < _levels; level++)
        {
            // One dispose scope per level, as in the decoder: at 512² the first level's activations are the largest.
            using var levelScope = NewDisposeScope();
            for (var b = 0; b < _blocks; b++)
            {
                h = _layers.Resnet($"encoder.down.{level}.block.{b}", h);
            }

            if (_layers.Has($"encoder.down.{level}.downsample.conv"))
            {
                h = _layers.Conv($"encoder.down.{level}.downsample.conv", F.pad(h, [0, 1, 0, 1]), 0, 2);
            }

            h.MoveToOuterDisposeScope();
        }

        h = _layers.Middle("encoder", h);
        h = _layers.Conv("encoder.conv_out", F.silu(_layers.Norm("encoder.norm_out", h)), 1);
        return _layers.Conv("quant_conv", h).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The latent in the UNet's scale: the Gaussian's mean (deterministic), or a sample mean + σ·ε with ε drawn from
    /// <paramref name="generator"/>, log-variance clamped to [−30, 20] as ldm's <c>DiagonalGaussianDistribution</c>;
    /// then times <paramref name="scaleFactor"/>.
    /// </summary>
    public Tensor Encode(Tensor image, double scaleFactor = 0.18215, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var moments = Moments(image);
        var halves = moments.chunk(2, 1);
        var latent = halves[0];
        if (generator is not null)
        {
            var std = (halves[1].clamp(-30, 20) * 0.5).exp();
            latent = latent + (std * randn(latent.shape, generator: generator).to(latent.device));
        }

        return (latent * scaleFactor).MoveToOuterDisposeScope();
    }

    /// <summary>An 8-bit HWC RGB image as the encoder's input [1, 3, H, W] in −1…1 (the inverse of <see cref="VaeDecoder.ToRgbBytes"/> up to rounding).</summary>
    public static Tensor FromRgbBytes(byte[] hwc, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(hwc);
        if (hwc.Length != height * width * 3)
        {
            throw new ArgumentException($"{hwc.Length} bytes is not a {width}×{height} RGB image", nameof(hwc));
        }

        using var scope = NewDisposeScope();
        var image = tensor(hwc, [height, width, 3]).to_type(ScalarType.Float32).permute(2, 0, 1).unsqueeze(0);
        return ((image / 127.5) - 1).contiguous().MoveToOuterDisposeScope();
    }

    public void Dispose() => _owned?.Dispose();
}
