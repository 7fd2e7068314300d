using Seamless.Engine.Torch.Runtime;
using Seamless.Engine.Torch.Weights;
using Seamless.Safetensors;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seamless.Engine.Torch.Unet;

/// <summary>
/// The CompVis/SGM UNet interpreted from its checkpoint keys (<c>model.diffusion_model.</c>): input blocks of ResBlocks,
/// SpatialTransformers and strided-conv downsamplers, a middle block, output blocks fed with the skip concatenated,
/// nearest ×2 upsamplers. Sinusoidal timestep embedding (cos first, max period 10000) through time_embed; ResBlocks
/// add the embedding after their first conv (GroupNorm 32, ε 1e-5); transformers (GroupNorm ε 1e-6, conv proj for SD1,
/// linear for SDXL) run self-attention, cross-attention on the text context and a GEGLU feed-forward, LayerNorm ε 1e-5.
/// What sits where comes from the keys; only the head count is given (<paramref name="headsOrHeadDim"/>).
/// </summary>
public sealed class UNet : IDisposable
{
    private readonly Dictionary<string, Tensor> _w;
    private readonly int _inputBlocks;
    private readonly int _outputBlocks;
    private readonly Func<long, int> _heads;
    private readonly WeightSet? _owned;

    private UNet(Dictionary<string, Tensor> weights, Func<long, int> heads, WeightSet? owned)
    {
        _w = weights;
        _owned = owned;
        _heads = heads;
        while (_w.Keys.Any(k => k.StartsWith($"input_blocks.{_inputBlocks}.", StringComparison.Ordinal)))
        {
            _inputBlocks++;
        }

        while (_w.Keys.Any(k => k.StartsWith($"output_blocks.{_outputBlocks}.", StringComparison.Ordinal)))
        {
            _outputBlocks++;
        }

        ModelChannels = (int)_w["time_embed.0.weight"].shape[1];
    }

    public int ModelChannels { get; }

    /// <summary>
    /// Loads the UNet. <paramref name="heads"/>: a fixed head count (SD1: 8), or null with <paramref name="headDim"/>
    /// (SDXL: 64). The tensors go into <paramref name="weights"/> when given (its owner disposes them).
    /// </summary>
    public static UNet Load(SafetensorsFile file, int? heads = null, int headDim = 64, string prefix = "model.diffusion_model.", WeightSet? weights = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!file.TryGet(prefix + "time_embed.0.weight", out _))
        {
            throw new KeyNotFoundException($"{file.Path}: no UNet under '{prefix}'");
        }

        var owned = weights is null ? new WeightSet() : null;
        var set = weights ?? owned!;
        var map = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var info in file.Tensors.Where(t => t.Name.StartsWith(prefix, StringComparison.Ordinal)))
        {
            map[info.Name[prefix.Length..]] = set.Load(file, info.Name);
        }

        return new UNet(map, channels => heads ?? (int)Math.Max(1, channels / headDim), owned);
    }

    /// <summary>
    /// ε for latents <paramref name="x"/> [B,4,H,W] at (fractional) timesteps [B] with text context [B,T,C]; SDXL also
    /// takes the vector conditioning <paramref name="y"/> [B, 2816] (pooled text ⊕ size/crop embeddings) through label_emb.
    /// </summary>
    public Tensor Forward(Tensor x, Tensor timesteps, Tensor context, Tensor? y = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(timesteps);
        using var scope = NewDisposeScope();

        // Inputs may come from the host in fp32; the UNet computes in its weights' device and dtype.
        var reference = _w["time_embed.0.weight"];
        (x, context) = (x.to(reference.dtype, reference.device), context.to(reference.dtype, reference.device));
        y = y?.to(reference.dtype, reference.device);
        var steps = TimestepEmbedding(timesteps.to(reference.device), ModelChannels).to_type(reference.dtype);
        var emb = Linear("time_embed.2", F.silu(Linear("time_embed.0", steps)));
        if (_w.ContainsKey("label_emb.0.0.weight"))
        {
            if (y is null)
            {
                throw new ArgumentException("this UNet (SDXL) needs the vector conditioning y", nameof(y));
            }

            emb = emb.Plus(Linear("label_emb.0.2", F.silu(Linear("label_emb.0.0", y))));
        }
        // Each block runs in its own dispose scope, so its intermediates (attention maps above all: a gigabyte each at
        // a 64×64 latent) are freed as soon as it returns instead of living until the whole forward ends.
        var skips = new Stack<Tensor>();
        var h = x;
        for (var i = 0; i < _inputBlocks; i++)
        {
            var input = h;
            h = Scoped(() => Block($"input_blocks.{i}", input, emb, context));
            skips.Push(h);
        }

        var middle = h;
        h = Scoped(() => Block("middle_block", middle, emb, context));
        for (var i = 0; i < _outputBlocks; i++)
        {
            var (below, skip) = (h, skips.Pop());
            h = Scoped(() => Block($"output_blocks.{i}", cat([below, skip], 1), emb, context));
        }

        h = Conv("out.2", F.silu(GroupNorm("out.0", h, 1e-5)), 1);
        return h.MoveToOuterDisposeScope();
    }

    private static Tensor Scoped(Func<Tensor> block)
    {
        using var scope = NewDisposeScope();
        return block().MoveToOuterDisposeScope();
    }

    /// <summary>Sinusoidal embedding: half = dim/2, freqs exp(−ln(10000)·i/half) in float32, [cos, sin].</summary>
    public static Tensor TimestepEmbedding(Tensor timesteps, int dim)
    {
        ArgumentNullException.ThrowIfNull(timesteps);
        var half = dim / 2;
        var freqs = exp(ScalarArithmetic.Range(half, ScalarType.Float32, timesteps.device).Times((float)(-Math.Log(10000) / half)));
        var args = timesteps.to_type(ScalarType.Float32).unsqueeze(1) * freqs.unsqueeze(0);
        return cat([cos(args), sin(args)], -1);
    }

    /// <summary>
    /// SDXL's size and crop conditioning: each of (orig_h, orig_w, crop_top, crop_left, target_h, target_w) through the
    /// 256-wide timestep embedding (narrower in tiny models), concatenated ([B, 1536]); the UNet's y is the pooled text embedding ⊕ this.
    /// </summary>
    public static Tensor SizeEmbedding(Tensor sizes, int width = 256)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        var parts = Enumerable.Range(0, (int)sizes.shape[1]).Select(i => TimestepEmbedding(sizes[.., i], width)).ToArray();
        return cat(parts, 1);
    }

    /// <summary>One TimestepEmbedSequential: its numbered children in order, each recognised by its keys.</summary>
    private Tensor Block(string name, Tensor h, Tensor emb, Tensor context)
    {
        for (var j = 0; ; j++)
        {
            var p = $"{name}.{j}";
            if (_w.ContainsKey(p + ".in_layers.0.weight"))
            {
                h = ResBlock(p, h, emb);
            }
            else if (_w.ContainsKey(p + ".proj_in.weight"))
            {
                h = Transformer(p, h, context);
            }
            else if (_w.ContainsKey(p + ".op.weight"))
            {
                h = F.conv2d(h, _w[p + ".op.weight"], _w[p + ".op.bias"], strides: [2, 2], padding: [1, 1]);
            }
            else if (_w.ContainsKey(p + ".conv.weight"))
            {
                h = Conv(p + ".conv", F.interpolate(h, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest), 1);
            }
            else if (_w.ContainsKey(p + ".weight") && _w[p + ".weight"].dim() == 4)
            {
                h = Conv(p, h, 1);
            }
            else
            {
                return h;
            }
        }
    }

    private Tensor ResBlock(string p, Tensor x, Tensor emb)
    {
        var h = Conv(p + ".in_layers.2", F.silu(GroupNorm(p + ".in_layers.0", x, 1e-5)), 1);
        h = h.Plus(Linear(p + ".emb_layers.1", F.silu(emb)).unsqueeze(-1).unsqueeze(-1));
        h = Conv(p + ".out_layers.3", F.silu(GroupNorm(p + ".out_layers.0", h, 1e-5)), 1);
        var skip = _w.ContainsKey(p + ".skip_connection.weight") ? Conv(p + ".skip_connection", x) : x;
        return skip.Plus(h);
    }

    private Tensor Transformer(string p, Tensor x, Tensor context)
    {
        var (b, c, hh, ww) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        var h = GroupNorm(p + ".norm", x, 1e-6);
        var conv = _w[p + ".proj_in.weight"].dim() == 4;
        if (conv)
        {
            h = Conv(p + ".proj_in", h);
        }

        var inner = h.shape[1];
        h = h.permute(0, 2, 3, 1).reshape(b, hh * ww, inner);
        if (!conv)
        {
            h = Linear(p + ".proj_in", h);
        }

        for (var d = 0; _w.ContainsKey($"{p}.transformer_blocks.{d}.norm1.weight"); d++)
        {
            var t = $"{p}.transformer_blocks.{d}";
            h = h.Plus(Attention(t + ".attn1", LayerNorm(t + ".norm1", h), null));
            h = h.Plus(Attention(t + ".attn2", LayerNorm(t + ".norm2", h), context));
            var ff = Linear(t + ".ff.net.0.proj", LayerNorm(t + ".norm3", h));
            var halves = ff.chunk(2, -1);
            h = h.Plus(Linear(t + ".ff.net.2", halves[0] * F.gelu(halves[1])));
        }

        if (!conv)
        {
            h = Linear(p + ".proj_out", h);
        }

        h = h.reshape(b, hh, ww, inner).permute(0, 3, 1, 2);
        if (conv)
        {
            h = Conv(p + ".proj_out", h);
        }

        return h.Plus(x);
    }

    private Tensor Attention(string p, Tensor x, Tensor? context)
    {
        var ctx = context ?? x;
        var q = F.linear(x, _w[p + ".to_q.weight"]);
        var k = F.linear(ctx, _w[p + ".to_k.weight"]);
        var v = F.linear(ctx, _w[p + ".to_v.weight"]);
        var (b, n, inner) = (q.shape[0], q.shape[1], q.shape[2]);
        var heads = _heads(inner);
        var dh = inner / heads;
        Tensor Split(Tensor t) => t.view(b, t.shape[1], heads, dh).transpose(1, 2);

        // softmax(q·kᵀ/√d)·v by libtorch's fused kernel: it never materialises the n×n score matrix.
        var attended = F.scaled_dot_product_attention(Split(q), Split(k), Split(v)).transpose(1, 2).reshape(b, n, inner);
        return Linear(p + ".to_out.0", attended);
    }

    private Tensor Conv(string name, Tensor x, long padding = 0) =>
        F.conv2d(x, _w[name + ".weight"], _w[name + ".bias"], padding: [padding, padding]);

    private Tensor Linear(string name, Tensor x) => F.linear(x, _w[name + ".weight"], _w.GetValueOrDefault(name + ".bias"));

    private Tensor GroupNorm(string name, Tensor x, double eps) => F.group_norm(x, 32, _w[name + ".weight"], _w[name + ".bias"], eps);

    private Tensor LayerNorm(string name, Tensor x) => F.layer_norm(x, [x.shape[^1]], _w[name + ".weight"], _w[name + ".bias"], 1e-5);

    public void Dispose() => _owned?.Dispose();
}
