using Seamless.Engine.Sampling;
using Seamless.Engine.Torch.Text;
using Seamless.Engine.Torch.Unet;
using Seamless.Engine.Torch.Vae;
using Seamless.Engine.Torch.Weights;
using Seamless.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Seamless.Engine.Torch.Pipeline;

/// <summary>
/// Text to image with an SD1-layout checkpoint: CLIP-L context (clip skip 1 or 2), the eps-prediction denoiser
/// D(x, σ) = x − σ·ε(x/√(σ²+1), t(σ)) with classifier-free guidance in one UNet batch [cond, uncond], a k-diffusion
/// sampler from x₀ = noise·σ₀ (as A1111), then the VAE decoder.
/// </summary>
public sealed class Sd1Pipeline : IDisposable
{
    private Sd1Pipeline(WeightSet weights, ClipTextEncoder text, UNet unet, VaeDecoder vae)
    {
        Weights = weights;
        Text = text;
        UNet = unet;
        Vae = vae;
    }

    public ClipTextEncoder Text { get; }

    public UNet UNet { get; }

    public VaeDecoder Vae { get; }

    /// <summary>Every weight of the three models under its checkpoint key; writing into them in place changes the pipeline.</summary>
    public WeightSet Weights { get; }

    public NoiseSchedule Schedule { get; } = new();

    public static Sd1Pipeline Load(SafetensorsFile file, int? textHeads = null, int? unetHeads = 8)
    {
        ArgumentNullException.ThrowIfNull(file);
        var weights = new WeightSet();
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

    /// <summary>Samples a latent from <paramref name="noise"/> [1,4,h,w]; <paramref name="step"/> sees (i, x after step i, denoised i).</summary>
    public Tensor Sample(Tensor noise, Tensor cond, Tensor uncond, string sampler, IReadOnlyList<double> sigmas, double cfg, Func<int, Tensor>? ancestralNoise = null, Action<int, float[], float[]>? step = null)
    {
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(sigmas);
        var shape = noise.shape;
        var context = cat([cond, uncond], 0);
        float[] lastDenoised = [];
        float[] Denoise(float[] x, double sigma, int i)
        {
            using var scope = NewDisposeScope();
            var xt = tensor(x).reshape(shape);
            var batch = cat([xt, xt], 0);
            var cIn = 1 / Math.Sqrt((sigma * sigma) + 1);
            var t = full(2, (float)Schedule.Timestep(sigma));
            var eps = UNet.Forward(batch * cIn, t, context);
            var d = batch - (eps * sigma);
            var (dc, du) = (d[0..1], d[1..2]);
            var guided = du + ((dc - du) * cfg);
            lastDenoised = guided.flatten().data<float>().ToArray();
            return lastDenoised;
        }

        var x0 = (noise * sigmas[0]).flatten().data<float>().ToArray();
        Action<int, float[]>? report = step is null ? null : (i, x) => step(i, x, lastDenoised);
        var result = sampler switch
        {
            "euler" => Samplers.Euler(x0, sigmas, Denoise, report),
            "euler_ancestral" => Samplers.EulerAncestral(x0, sigmas, Denoise, i => ancestralNoise!(i).flatten().data<float>().ToArray(), report),
            "dpmpp_2m" => Samplers.DpmPlusPlus2M(x0, sigmas, Denoise, report),
            _ => throw new ArgumentException($"unknown sampler '{sampler}' (euler, euler_ancestral, dpmpp_2m)", nameof(sampler)),
        };
        return tensor(result).reshape(shape);
    }

    public void Dispose()
    {
        Text.Dispose();
        UNet.Dispose();
        Vae.Dispose();
        Weights.Dispose();
    }
}
