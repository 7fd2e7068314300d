using Seamless.Engine.Torch.Runtime;
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
    private readonly VaeHalf _half;

    private VaeEncoder(VaeHalf half) => _half = half;

    /// <summary>Loads the encoder and <c>quant_conv</c>; the tensors go into <paramref name="weightSet"/> when given (its owner disposes them).</summary>
    public static VaeEncoder Load(SafetensorsFile file, string prefix = "first_stage_model.", WeightSet? weightSet = null) =>
        new(VaeLayers.LoadHalf(file, prefix, weightSet, "encoder", "quant_conv", "down"));

    /// <summary>The moments [B, 2·z, H/f, W/f] of an image [B, 3, H, W] scaled to −1…1.</summary>
    public Tensor Moments(Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var scope = NewDisposeScope();
        var h = _half.Layers.Conv("encoder.conv_in", _half.Layers.Input(image), 1);
        for (var level = 0; level < _half.Levels; level++)
        {
            // One dispose scope per level, as in the decoder: at 512² the first level's activations are the largest.
            using var levelScope = NewDisposeScope();
            for (var b = 0; b < _half.Blocks; b++)
            {
                h = _half.Layers.Resnet($"encoder.down.{level}.block.{b}", h);
            }

            if (_half.Layers.Has($"encoder.down.{level}.downsample.conv"))
            {
                h = _half.Layers.Conv($"encoder.down.{level}.downsample.conv", F.pad(h, [0, 1, 0, 1]), 0, 2);
            }

            h.MoveToOuterDisposeScope();
        }

        h = _half.Layers.Middle("encoder", h);
        h = _half.Layers.Conv("encoder.conv_out", F.silu(_half.Layers.Norm("encoder.norm_out", h)), 1);
        return _half.Layers.Conv("quant_conv", h).MoveToOuterDisposeScope();
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
            var std = halves[1].Clamped(-30, 20).Times(0.5).exp();
            latent = latent.Plus(std * randn(latent.shape, generator: generator).to(latent.device));
        }

        return latent.Times(scaleFactor).MoveToOuterDisposeScope();
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
        return image.DividedBy(127.5).Minus(1).contiguous().MoveToOuterDisposeScope();
    }

    public void Dispose() => _half.Owned?.Dispose();
}
