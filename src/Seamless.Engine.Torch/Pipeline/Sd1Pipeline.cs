using Seamless.Engine.Compute;
using Seamless.Engine.Torch.Text;
using Seamless.Engine.Torch.Unet;
using Seamless.Engine.Torch.Vae;
using Seamless.Engine.Torch.Weights;
using Seamless.Safetensors;
using static TorchSharp.torch;

namespace Seamless.Engine.Torch.Pipeline;

/// <summary>Text to image with an SD1-layout checkpoint: CLIP-L context (clip skip 1 or 2), the UNet, the VAE decoder.</summary>
public sealed class Sd1Pipeline : DiffusionPipeline
{
    private Sd1Pipeline(WeightSet weights, ClipTextEncoder text, UNet unet, VaeDecoder vae)
        : base(weights, unet, vae, 0.18215)
    {
        Text = text;
    }

    public ClipTextEncoder Text { get; }

    /// <summary>Loads the pipeline onto <paramref name="device"/> (default: the CPU in fp32).</summary>
    public static Sd1Pipeline Load(SafetensorsFile file, int? textHeads = null, int? unetHeads = 8, DeviceSpec? device = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        var weights = new WeightSet(device);
        try
        {
            return new Sd1Pipeline(
                weights,
                ClipTextEncoder.Load(file, heads: textHeads, weights: weights),
                UNet.Load(file, heads: unetHeads, weights: weights),
                VaeDecoder.Load(file, weightSet: weights));
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    /// <summary>The text context for 77-token ids [B, 77]: final-normed last layer, or the penultimate with clip skip 2.</summary>
    public Tensor Encode(Tensor ids, int clipSkip = 1)
    {
        using var scope = NewDisposeScope();
        var states = Text.HiddenStates(ids);
        return Text.FinalNorm(states[^clipSkip]).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Text.Dispose();
        }

        base.Dispose(disposing);
    }
}
