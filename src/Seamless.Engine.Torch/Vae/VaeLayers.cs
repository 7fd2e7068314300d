using Seamless.Engine.Torch.Runtime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seamless.Engine.Torch.Vae;

/// <summary>
/// The layers the AutoencoderKL encoder and decoder share, over weights keyed like the checkpoint below
/// <c>first_stage_model.</c>: GroupNorm with 32 groups and ε 1e-6, SiLU resnet blocks with an optional 1×1
/// <c>nin_shortcut</c>, and the single-head spatial attention of the middle block.
/// </summary>
internal sealed class VaeLayers(IReadOnlyDictionary<string, Tensor> weights)
{
    public bool Has(string name) => weights.ContainsKey(name + ".weight");

    /// <summary><paramref name="x"/> on the weights' device in fp32, where the layers compute.</summary>
    public Tensor Input(Tensor x) => x.to(ScalarType.Float32, weights.Values.First().device);

    public Tensor Conv(string name, Tensor x, long padding = 0, long stride = 1) =>
        F.conv2d(x, weights[name + ".weight"], weights[name + ".bias"], strides: [stride, stride], padding: [padding, padding]);

    public Tensor Norm(string name, Tensor x) =>
        F.group_norm(x, 32, weights[name + ".weight"], weights[name + ".bias"], 1e-6);

    public Tensor Resnet(string name, Tensor x)
    {
        var h = Conv(name + ".conv1", F.silu(Norm(name + ".norm1", x)), 1);
        h = Conv(name + ".conv2", F.silu(Norm(name + ".norm2", h)), 1);
        var shortcut = Has(name + ".nin_shortcut") ? Conv(name + ".nin_shortcut", x) : x;
        return shortcut.Plus(h);
    }

    public Tensor Attention(string name, Tensor x)
    {
        var (b, c, hh, ww) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        var h = Norm(name + ".norm", x);
        var q = Conv(name + ".q", h).reshape(b, c, hh * ww).permute(0, 2, 1);
        var k = Conv(name + ".k", h).reshape(b, c, hh * ww);
        var v = Conv(name + ".v", h).reshape(b, c, hh * ww);
        var w = F.softmax(q.bmm(k).Times(Math.Pow(c, -0.5)), 2);
        var attended = v.bmm(w.permute(0, 2, 1)).reshape(b, c, hh, ww);
        return x.Plus(Conv(name + ".proj_out", attended));
    }

    /// <summary>The middle block both halves run: resnet, attention, resnet.</summary>
    public Tensor Middle(string prefix, Tensor x) =>
        Resnet(prefix + ".mid.block_2", Attention(prefix + ".mid.attn_1", Resnet(prefix + ".mid.block_1", x)));

    /// <summary>
    /// Loads one half of the autoencoder: the weights under <c>{prefix}{half}.</c> and <c>{prefix}{quant}.</c> (fp32, into
    /// <paramref name="set"/>, or a set of its own when null), and its depth: levels under <c>{half}.{levelsKey}.N</c>
    /// and resnet blocks per level.
    /// </summary>
    public static VaeHalf LoadHalf(Seamless.Safetensors.SafetensorsFile file, string prefix, Weights.WeightSet? set, string half, string quant, string levelsKey)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!file.TryGet($"{prefix}{half}.conv_in.weight", out _) || !file.TryGet($"{prefix}{quant}.weight", out _))
        {
            throw new KeyNotFoundException($"{file.Path}: no VAE {half} under '{prefix}{half}.' with its '{prefix}{quant}'");
        }

        var owned = set is null ? new Weights.WeightSet() : null;
        var target = set ?? owned!;
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var info in file.Tensors)
        {
            var key = info.Name.AsSpan();
            if (key.StartsWith(prefix, StringComparison.Ordinal) && (key[prefix.Length..].StartsWith(half + ".", StringComparison.Ordinal) || key[prefix.Length..].StartsWith(quant + ".", StringComparison.Ordinal)))
            {
                // fp32 on every device: the SDXL VAE overflows in fp16 (A1111's --no-half-vae).
                weights[info.Name[prefix.Length..]] = target.Load(file, info.Name, ScalarType.Float32);
            }
        }

        var levels = Count(weights, $"{half}.{levelsKey}.", ".block.0.conv1.weight");
        var blocks = Count(weights, $"{half}.{levelsKey}.0.block.", ".conv1.weight");
        if (levels == 0 || blocks == 0)
        {
            owned?.Dispose();
            throw new KeyNotFoundException($"{file.Path}: no VAE {half} blocks under '{prefix}{half}.{levelsKey}.'");
        }

        return new VaeHalf(new VaeLayers(weights), levels, blocks, owned);
    }

    /// <summary>How many consecutive <c>{stem}{i}{suffix}</c> weights exist from i = 0.</summary>
    private static int Count(Dictionary<string, Tensor> weights, string stem, string suffix)
    {
        var n = 0;
        while (weights.ContainsKey($"{stem}{n}{suffix}"))
        {
            n++;
        }

        return n;
    }
}

/// <summary>One loaded half of the autoencoder: its layers, levels, resnet blocks per level, and the weights it owns (if any).</summary>
internal sealed record VaeHalf(VaeLayers Layers, int Levels, int Blocks, Weights.WeightSet? Owned);
