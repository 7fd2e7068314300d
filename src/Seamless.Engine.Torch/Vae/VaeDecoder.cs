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
    private readonly Dictionary<string, Tensor> _w;
    private readonly int _levels;
    private readonly int _blocks;

    private readonly WeightSet? _owned;

    private VaeDecoder(Dictionary<string, Tensor> weights, int levels, int blocks, WeightSet? owned)
    {
        _w = weights;
        _owned = owned;
        _levels = levels;
        _blocks = blocks;
    }

    /// <summary>Loads the decoder; the tensors go into <paramref name="weightSet"/> when given (its owner disposes them).</summary>
    public static VaeDecoder Load(SafetensorsFile file, string prefix = "first_stage_model.", WeightSet? weightSet = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!file.TryGet(prefix + "decoder.conv_in.weight", out _))
        {
            throw new KeyNotFoundException($"{file.Path}: no VAE decoder under '{prefix}decoder.'");
        }

        var owned = weightSet is null ? new WeightSet() : null;
        var set = weightSet ?? owned!;
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var info in file.Tensors)
        {
            if (info.Name.StartsWith(prefix + "decoder.", StringComparison.Ordinal) || info.Name.StartsWith(prefix + "post_quant_conv.", StringComparison.Ordinal))
            {
                weights[info.Name[prefix.Length..]] = set.Load(file, info.Name);
            }
        }

        var levels = 0;
        while (weights.ContainsKey($"decoder.up.{levels}.block.0.conv1.weight"))
        {
            levels++;
        }

        var blocks = 0;
        while (weights.ContainsKey($"decoder.up.0.block.{blocks}.conv1.weight"))
        {
            blocks++;
        }

        if (levels == 0 || blocks == 0)
        {
            throw new KeyNotFoundException($"{file.Path}: no VAE decoder under '{prefix}decoder.'");
        }

        return new VaeDecoder(weights, levels, blocks, owned);
    }

    /// <summary>Decoder output (about −1…1) for a latent in the UNet's scale (divided by <paramref name="scaleFactor"/> first).</summary>
    public Tensor Decode(Tensor latent, double scaleFactor = 0.18215)
    {
        ArgumentNullException.ThrowIfNull(latent);
        using var scope = NewDisposeScope();
        var z = latent / scaleFactor;
        var h = Conv("post_quant_conv", z);
        h = Conv("decoder.conv_in", h, 1);
        h = Resnet("decoder.mid.block_1", h);
        h = Attention("decoder.mid.attn_1", h);
        h = Resnet("decoder.mid.block_2", h);
        for (var level = _levels - 1; level >= 0; level--)
        {
            // One dispose scope per level: at 512² a level's intermediates are hundreds of MB each.
            using var levelScope = NewDisposeScope();
            for (var b = 0; b < _blocks; b++)
            {
                h = Resnet($"decoder.up.{level}.block.{b}", h);
            }

            if (_w.ContainsKey($"decoder.up.{level}.upsample.conv.weight"))
            {
                h = F.interpolate(h, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
                h = Conv($"decoder.up.{level}.upsample.conv", h, 1);
            }

            h.MoveToOuterDisposeScope();
        }

        h = F.silu(Norm("decoder.norm_out", h));
        h = Conv("decoder.conv_out", h, 1);
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>The image as A1111/ComfyUI make it: clamp((x + 1) / 2, 0, 1), then 8-bit by truncation, HWC, batch item <paramref name="index"/>.</summary>
    public static byte[] ToRgbBytes(Tensor decoded, int index = 0)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        using var scope = NewDisposeScope();
        var image = ((decoded[index] + 1) / 2).clamp(0, 1);
        var hwc = (image * 255).permute(1, 2, 0).contiguous().to_type(ScalarType.Byte);
        return hwc.data<byte>().ToArray();
    }

    private Tensor Conv(string name, Tensor x, long padding = 0) =>
        F.conv2d(x, _w[name + ".weight"], _w[name + ".bias"], padding: [padding, padding]);

    private Tensor Norm(string name, Tensor x) =>
        F.group_norm(x, 32, _w[name + ".weight"], _w[name + ".bias"], 1e-6);

    private Tensor Resnet(string name, Tensor x)
    {
        var h = Conv(name + ".conv1", F.silu(Norm(name + ".norm1", x)), 1);
        h = Conv(name + ".conv2", F.silu(Norm(name + ".norm2", h)), 1);
        var shortcut = _w.ContainsKey(name + ".nin_shortcut.weight") ? Conv(name + ".nin_shortcut", x) : x;
        return shortcut + h;
    }

    private Tensor Attention(string name, Tensor x)
    {
        var (b, c, hh, ww) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        var h = Norm(name + ".norm", x);
        var q = Conv(name + ".q", h).reshape(b, c, hh * ww).permute(0, 2, 1);
        var k = Conv(name + ".k", h).reshape(b, c, hh * ww);
        var v = Conv(name + ".v", h).reshape(b, c, hh * ww);
        var weights = F.softmax(q.bmm(k) * Math.Pow(c, -0.5), 2);
        var attended = v.bmm(weights.permute(0, 2, 1)).reshape(b, c, hh, ww);
        return x + Conv(name + ".proj_out", attended);
    }

    public void Dispose() => _owned?.Dispose();
}
