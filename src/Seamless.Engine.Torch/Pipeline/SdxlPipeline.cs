using Seamless.Engine.Compute;
using Seamless.Engine.Torch.Text;
using Seamless.Engine.Torch.Unet;
using Seamless.Engine.Torch.Vae;
using Seamless.Engine.Torch.Weights;
using Seamless.Safetensors;
using static TorchSharp.torch;

namespace Seamless.Engine.Torch.Pipeline;

/// <summary>
/// Text to image with an SDXL-layout checkpoint (generative-models' conditioner): the context is CLIP-L's penultimate
/// hidden state (no final norm) ⊕ OpenCLIP bigG's penultimate hidden state (no final norm), 768 + 1280 = 2048 wide;
/// the vector conditioning is bigG's pooled output (final norm at the end-of-text token, through text_projection) ⊕
/// the size/crop embeddings of (original h, w, crop top, left, target h, w). VAE scale 0.13025.
/// </summary>
public sealed class SdxlPipeline : DiffusionPipeline
{
    private SdxlPipeline(WeightSet weights, ClipTextEncoder textL, ClipTextEncoder textG, UNet unet, VaeDecoder vae)
        : base(weights, unet, vae, 0.13025)
    {
        TextL = textL;
        TextG = textG;
        var vectorWidth = weights.Tensors["model.diffusion_model.label_emb.0.0.weight"].shape[1];
        var pooledWidth = weights.Tensors["conditioner.embedders.1.model.text_projection"].shape[1];
        SizeEmbeddingWidth = (int)((vectorWidth - pooledWidth) / 6);
    }

    public ClipTextEncoder TextL { get; }

    public ClipTextEncoder TextG { get; }

    /// <summary>Width of each of the six size/crop embeddings: 256 for SDXL (2816 = 1280 + 6·256), less in tiny models.</summary>
    public int SizeEmbeddingWidth { get; }

    /// <summary>Loads the pipeline onto <paramref name="device"/> (default: the CPU in fp32).</summary>
    public static SdxlPipeline Load(SafetensorsFile file, int? textHeads = null, int headDim = 64, DeviceSpec? device = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        var weights = new WeightSet(device);
        try
        {
            return new SdxlPipeline(
                weights,
                ClipTextEncoder.Load(file, "conditioner.embedders.0.transformer.text_model.", textHeads, weights),
                ClipTextEncoder.LoadOpenClip(file, heads: textHeads, weights: weights),
                UNet.Load(file, heads: null, headDim: headDim, weights: weights),
                VaeDecoder.Load(file, weightSet: weights));
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    /// <summary>CLIP-L's context for ids [B, 77] (padded with end-of-text): the penultimate hidden state.</summary>
    public Tensor EncodeL(Tensor ids)
    {
        using var scope = NewDisposeScope();
        return TextL.HiddenStates(ids)[^2].MoveToOuterDisposeScope();
    }

    /// <summary>bigG's context (penultimate hidden state) and pooled output for ids [B, 77] (padded with 0).</summary>
    public (Tensor Context, Tensor Pooled) EncodeG(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var states = TextG.HiddenStates(ids);
        var pooled = TextG.Pooled(TextG.FinalNorm(states[^1]), ids);
        return (states[^2].MoveToOuterDisposeScope(), pooled.MoveToOuterDisposeScope());
    }

    /// <summary>The vector conditioning [1, V]: pooled ⊕ embeddings of (h, w, 0, 0, h, w) for an image of that size.</summary>
    public Tensor Vector(Tensor pooled, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(pooled);
        using var scope = NewDisposeScope();
        var sizes = tensor(new float[] { height, width, 0, 0, height, width }, device: pooled.device).reshape(1, 6);
        return cat([pooled, UNet.SizeEmbedding(sizes, SizeEmbeddingWidth).to_type(pooled.dtype)], 1).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            TextL.Dispose();
            TextG.Dispose();
        }

        base.Dispose(disposing);
    }
}
