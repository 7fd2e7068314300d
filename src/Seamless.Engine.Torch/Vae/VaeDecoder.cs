using Seamless.Engine.Torch.Runtime;
using Seamless.Engine.Torch.Weights;
using Seamless.Safetensors;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seamless.Engine.Torch.Vae;

/// <summary>
/// The AutoencoderKL decoder in the CompVis key layout (<c>first_stage_model.post_quant_conv</c>, <c>decoder.conv_in</c>,
/// <c>decoder.mid.{block_1, attn_1, block_2}</c>, <c>decoder.up.N.{block.M, upsample}</c> run from the highest N down,
/// <c>decoder.norm_out</c>, <c>decoder.conv_out</c>): GroupNorm (32 groups, ε 1e-6) + SiLU resnet blocks, one
/// single-head spatial attention in the middle, nearest ×2 upsampling followed by a 3×3 conv. Depth and widths come
/// from the weights.
/// </summary>
public sealed class VaeDecoder : IDisposable
{
    private readonly VaeHalf _half;

    private VaeDecoder(VaeHalf half) => _half = half;

    /// <summary>Loads <c>post_quant_conv</c> and the decoder; the tensors go into <paramref name="weightSet"/> when given (its owner disposes them).</summary>
    public static VaeDecoder Load(SafetensorsFile file, string prefix = "first_stage_model.", WeightSet? weightSet = null) =>
        new(VaeLayers.LoadHalf(file, prefix, weightSet, "decoder", "post_quant_conv", "up"));

    /// <summary>Decoder output (about −1…1) for a latent in the UNet's scale (divided by <paramref name="scaleFactor"/> first).</summary>
    public Tensor Decode(Tensor latent, double scaleFactor = 0.18215)
    {
        ArgumentNullException.ThrowIfNull(latent);
        using var scope = NewDisposeScope();
        var z = _half.Layers.Input(latent).DividedBy(scaleFactor);
        var h = _half.Layers.Conv("post_quant_conv", z);
        h = _half.Layers.Middle("decoder", _half.Layers.Conv("decoder.conv_in", h, 1));
        for (var level = _half.Levels - 1; level >= 0; level--)
        {
            // One dispose scope per level: at 512² a level's intermediates are hundreds of MB each.
            using var levelScope = NewDisposeScope();
            for (var b = 0; b < _half.Blocks; b++)
            {
                h = _half.Layers.Resnet($"decoder.up.{level}.block.{b}", h);
            }

            if (_half.Layers.Has($"decoder.up.{level}.upsample.conv"))
            {
                h = F.interpolate(h, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
                h = _half.Layers.Conv($"decoder.up.{level}.upsample.conv", h, 1);
            }

            h.MoveToOuterDisposeScope();
        }

        h = F.silu(_half.Layers.Norm("decoder.norm_out", h));
        h = _half.Layers.Conv("decoder.conv_out", h, 1);
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>The image as A1111/ComfyUI make it: clamp((x + 1) / 2, 0, 1), then 8-bit by truncation, HWC, batch item <paramref name="index"/>.</summary>
    public static byte[] ToRgbBytes(Tensor decoded, int index = 0)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        using var scope = NewDisposeScope();
        var image = decoded[index].to(ScalarType.Float32, CPU).Plus(1).DividedBy(2).Clamped(0, 1);
        var hwc = image.Times(255).permute(1, 2, 0).contiguous().to_type(ScalarType.Byte);
        return hwc.data<byte>().ToArray();
    }

    public void Dispose() => _half.Owned?.Dispose();
}
