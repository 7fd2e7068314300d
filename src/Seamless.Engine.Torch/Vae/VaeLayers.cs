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
        return shortcut + h;
    }

    public Tensor Attention(string name, Tensor x)
    {
        var (b, c, hh, ww) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        var h = Norm(name + ".norm", x);
        var q = Conv(name + ".q", h).reshape(b, c, hh * ww).permute(0, 2, 1);
        var k = Conv(name + ".k", h).reshape(b, c, hh * ww);
        var v = Conv(name + ".v", h).reshape(b, c, hh * ww);
        var w = F.softmax(q.bmm(k) * Math.Pow(c, -0.5), 2);
        var attended = v.bmm(w.permute(0, 2, 1)).reshape(b, c, hh, ww);
        return x + Conv(name + ".proj_out", attended);
    }

    /// <summary>The middle block both halves run: resnet, attention, resnet.</summary>
    public Tensor Middle(string prefix, Tensor x) =>
        Resnet(prefix + ".mid.block_2", Attention(prefix + ".mid.attn_1", Resnet(prefix + ".mid.block_1", x)));

    /// <summary>Weights under <paramref name="prefix"/> whose key (after it) starts with one of <paramref name="parts"/>, loaded into <paramref name="set"/>.</summary>
    public static Dictionary<string, Tensor> Load(Seamless.Safetensors.SafetensorsFile file, string prefix, Weights.WeightSet set, params string[] parts)
    {
        var loaded = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var info in file.Tensors)
        {
            if (info.Name.StartsWith(prefix, StringComparison.Ordinal) && parts.Any(p => info.Name.AsSpan(prefix.Length).StartsWith(p, StringComparison.Ordinal)))
            {
                // fp32 on every device: the SDXL VAE overflows in fp16 (A1111's --no-half-vae).
                loaded[info.Name[prefix.Length..]] = set.Load(file, info.Name, ScalarType.Float32);
            }
        }

        return loaded;
    }

    /// <summary>How many consecutive <c>{stem}{i}{suffix}</c> weights exist from i = 0.</summary>
    public static int Count(IReadOnlyDictionary<string, Tensor> weights, string stem, string suffix)
    {
        var n = 0;
        while (weights.ContainsKey($"{stem}{n}{suffix}"))
        {
            n++;
        }

        return n;
    }
}
