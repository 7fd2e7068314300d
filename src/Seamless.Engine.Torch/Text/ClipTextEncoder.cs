using Seamless.Engine.Torch.Runtime;
using Seamless.Engine.Torch.Weights;
using Seamless.Safetensors;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seamless.Engine.Torch.Text;

/// <summary>
/// CLIP's text transformer, from either key layout SD checkpoints use: Hugging Face's for CLIP-L
/// (<c>…text_model.embeddings</c>, <c>encoder.layers.N.{layer_norm1, self_attn.{q,k,v,out}_proj, layer_norm2, mlp.fc1,
/// mlp.fc2}</c>, <c>final_layer_norm</c>; quick-GELU x·σ(1.702x)) and OpenCLIP's for SDXL's bigG
/// (<c>transformer.resblocks.N.{ln_1, attn.in_proj (q,k,v stacked), attn.out_proj, ln_2, mlp.c_fc, mlp.c_proj}</c>,
/// <c>ln_final</c>, <c>text_projection</c>; exact GELU). Pre-LN blocks, causal attention scaled by head_dim^-½,
/// LayerNorm ε 1e-5. Width and depth come from the weights; heads are width/64 unless given.
/// </summary>
public sealed class ClipTextEncoder : IDisposable
{
    private readonly Tensor _tokens;
    private readonly Tensor _positions;
    private readonly Layer[] _layers;
    private readonly (Tensor W, Tensor B) _final;

    private readonly Tensor? _projection;
    private readonly bool _exactGelu;
    private readonly WeightSet? _owned;

    private ClipTextEncoder(WeightSet? owned, Tensor tokens, Tensor positions, Layer[] layers, (Tensor, Tensor) final, int heads, Tensor? projection = null, bool exactGelu = false)
    {
        _owned = owned;
        _projection = projection;
        _exactGelu = exactGelu;
        _tokens = tokens;
        _positions = positions;
        _layers = layers;
        _final = final;
        Heads = heads;
    }

    public int Width => (int)_tokens.shape[1];

    public int Depth => _layers.Length;

    public int Heads { get; }

    /// <summary>Loads a Hugging Face layout CLIP text model; the tensors go into <paramref name="weights"/> when given (its owner disposes them).</summary>
    public static ClipTextEncoder Load(SafetensorsFile file, string prefix = "cond_stage_model.transformer.text_model.", int? heads = null, WeightSet? weights = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        var owned = weights is null ? new WeightSet() : null;
        var set = weights ?? owned!;
        Tensor T(string key) => set.Load(file, prefix + key);
        var depth = 0;
        while (file.TryGet($"{prefix}encoder.layers.{depth}.layer_norm1.weight", out _))
        {
            depth++;
        }

        var layers = new Layer[depth];
        for (var i = 0; i < depth; i++)
        {
            var p = $"encoder.layers.{i}.";
            layers[i] = new Layer(
                (T(p + "layer_norm1.weight"), T(p + "layer_norm1.bias")),
                (T(p + "self_attn.q_proj.weight"), T(p + "self_attn.q_proj.bias")),
                (T(p + "self_attn.k_proj.weight"), T(p + "self_attn.k_proj.bias")),
                (T(p + "self_attn.v_proj.weight"), T(p + "self_attn.v_proj.bias")),
                (T(p + "self_attn.out_proj.weight"), T(p + "self_attn.out_proj.bias")),
                (T(p + "layer_norm2.weight"), T(p + "layer_norm2.bias")),
                (T(p + "mlp.fc1.weight"), T(p + "mlp.fc1.bias")),
                (T(p + "mlp.fc2.weight"), T(p + "mlp.fc2.bias")));
        }

        var tokens = T("embeddings.token_embedding.weight");
        var width = (int)tokens.shape[1];
        return new ClipTextEncoder(owned, tokens, T("embeddings.position_embedding.weight"), layers,
            (T("final_layer_norm.weight"), T("final_layer_norm.bias")), heads ?? Math.Max(1, width / 64));
    }

    /// <summary>SDXL's OpenCLIP bigG text tower (<c>conditioner.embedders.1.model.</c>).</summary>
    public static ClipTextEncoder LoadOpenClip(SafetensorsFile file, string prefix = "conditioner.embedders.1.model.", int? heads = null, WeightSet? weights = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        var owned = weights is null ? new WeightSet() : null;
        var set = weights ?? owned!;
        Tensor T(string key) => set.Load(file, prefix + key);
        var depth = 0;
        while (file.TryGet($"{prefix}transformer.resblocks.{depth}.ln_1.weight", out _))
        {
            depth++;
        }

        var layers = new Layer[depth];
        for (var i = 0; i < depth; i++)
        {
            var p = $"transformer.resblocks.{i}.";
            // q, k, v are views of the stacked projection, so an in-place update of it reaches them.
            var inW = T(p + "attn.in_proj_weight");
            var inB = T(p + "attn.in_proj_bias");
            var w = inW.chunk(3, 0);
            var b = inB.chunk(3, 0);
            layers[i] = new Layer(
                (T(p + "ln_1.weight"), T(p + "ln_1.bias")),
                (w[0], b[0]),
                (w[1], b[1]),
                (w[2], b[2]),
                (T(p + "attn.out_proj.weight"), T(p + "attn.out_proj.bias")),
                (T(p + "ln_2.weight"), T(p + "ln_2.bias")),
                (T(p + "mlp.c_fc.weight"), T(p + "mlp.c_fc.bias")),
                (T(p + "mlp.c_proj.weight"), T(p + "mlp.c_proj.bias")));
        }

        var tokens = T("token_embedding.weight");
        var width = (int)tokens.shape[1];
        return new ClipTextEncoder(owned, tokens, T("positional_embedding"), layers, (T("ln_final.weight"), T("ln_final.bias")),
            heads ?? Math.Max(1, width / 64), T("text_projection"), exactGelu: true);
    }

    /// <summary>
    /// The pooled embedding: the final-normed state at each row's end-of-text token (the argmax id), projected by
    /// <c>text_projection</c> when the model has one (OpenCLIP; SDXL's vector conditioning).
    /// </summary>
    public Tensor Pooled(Tensor lastNormed, Tensor ids)
    {
        ArgumentNullException.ThrowIfNull(lastNormed);
        ArgumentNullException.ThrowIfNull(ids);
        using var scope = NewDisposeScope();
        var eot = ids.to(lastNormed.device).argmax(1);
        var pooled = lastNormed[ScalarArithmetic.Range(lastNormed.shape[0], device: lastNormed.device), eot];
        if (_projection is not null)
        {
            pooled = pooled.matmul(_projection);
        }

        return pooled.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Hidden states for token ids [B, 77]: index 0 is the embeddings, k the output of layer k (no final norm), as
    /// Hugging Face's <c>hidden_states</c>. <see cref="FinalNorm"/> gives <c>last_hidden_state</c> or clip skip.
    /// </summary>
    public Tensor[] HiddenStates(Tensor ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        using var scope = NewDisposeScope();
        var (b, t) = (ids.shape[0], ids.shape[1]);
        var x = _tokens.index_select(0, ids.to(_tokens.device).flatten()).view(b, t, Width).Plus(_positions.narrow(0, 0, t).unsqueeze(0));
        var states = new List<Tensor> { x };
        using var mask = ScalarArithmetic.Filled([t, t], double.NegativeInfinity, x.dtype, x.device).triu(1);
        foreach (var layer in _layers)
        {
            x = layer.Forward(x, mask, Heads, _exactGelu);
            states.Add(x);
        }

        var result = states.ToArray();
        scope.MoveToOuter(result);
        return result;
    }

    public Tensor FinalNorm(Tensor hidden) => F.layer_norm(hidden, [Width], _final.W, _final.B, 1e-5);

    public void Dispose()
    {
        _tokens.Dispose();
        _positions.Dispose();
        _final.W.Dispose();
        _final.B.Dispose();
        _projection?.Dispose();
        foreach (var l in _layers)
        {
            l.Dispose();
        }

        _owned?.Dispose();
    }

    private sealed record Layer((Tensor W, Tensor B) Ln1, (Tensor W, Tensor B) Q, (Tensor W, Tensor B) K, (Tensor W, Tensor B) V, (Tensor W, Tensor B) Out, (Tensor W, Tensor B) Ln2, (Tensor W, Tensor B) Fc1, (Tensor W, Tensor B) Fc2) : IDisposable
    {
        public Tensor Forward(Tensor x, Tensor mask, int heads, bool exactGelu)
        {
            var (b, t, w) = (x.shape[0], x.shape[1], x.shape[2]);
            var d = w / heads;
            var h = F.layer_norm(x, [w], Ln1.W, Ln1.B, 1e-5);
            Tensor Split(Tensor y) => y.view(b, t, heads, d).transpose(1, 2);
            var q = Split(F.linear(h, Q.W, Q.B));
            var k = Split(F.linear(h, K.W, K.B));
            var v = Split(F.linear(h, V.W, V.B));
            var scores = q.matmul(k.transpose(-2, -1)).Times(Math.Pow(d, -0.5)).Plus(mask);
            var attn = F.softmax(scores, -1).matmul(v).transpose(1, 2).reshape(b, t, w);
            x = x.Plus(F.linear(attn, Out.W, Out.B));
            var m = F.linear(F.layer_norm(x, [w], Ln2.W, Ln2.B, 1e-5), Fc1.W, Fc1.B);
            m = exactGelu ? F.gelu(m) : m * torch.sigmoid(m.Times(1.702));
            return x.Plus(F.linear(m, Fc2.W, Fc2.B));
        }

        public void Dispose()
        {
            foreach (var (wt, bs) in new[] { Ln1, Q, K, V, Out, Ln2, Fc1, Fc2 })
            {
                wt.Dispose();
                bs.Dispose();
            }
        }
    }
}
