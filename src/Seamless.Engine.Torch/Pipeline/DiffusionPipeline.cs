using Seamless.Engine.Sampling;
using Seamless.Engine.Torch.Runtime;
using Seamless.Engine.Torch.Unet;
using Seamless.Engine.Torch.Vae;
using Seamless.Engine.Torch.Weights;
using static TorchSharp.torch;

namespace Seamless.Engine.Torch.Pipeline;

/// <summary>
/// What SD1 and SDXL share: one <see cref="WeightSet"/>, the UNet, the VAE decoder, the scaled-linear schedule and the
/// sampling loop. The denoiser is eps-prediction, D(x, σ) = x − σ·ε(x/√(σ²+1), t(σ)), with classifier-free guidance
/// in one UNet batch [cond, uncond]; sampling starts from x₀ = noise·σ₀ (as A1111).
/// </summary>
public abstract class DiffusionPipeline : IDisposable
{
    protected DiffusionPipeline(WeightSet weights, UNet unet, VaeDecoder vae, double vaeScale)
    {
        Weights = weights;
        UNet = unet;
        Vae = vae;
        VaeScale = vaeScale;
    }

    /// <summary>Every weight of the pipeline's models under its checkpoint key; writing into them in place changes the pipeline.</summary>
    public WeightSet Weights { get; }

    public UNet UNet { get; }

    public VaeDecoder Vae { get; }

    /// <summary>The latent scale factor: 0.18215 for SD1, 0.13025 for SDXL.</summary>
    public double VaeScale { get; }

    public NoiseSchedule Schedule { get; } = new();

    /// <summary>
    /// Samples a latent from <paramref name="noise"/> [1,4,h,w] with contexts [1,T,C] (and SDXL's vector conditioning
    /// [1,V]); <paramref name="step"/> sees (i, x after step i, denoised i).
    /// </summary>
    public Tensor Sample(Tensor noise, Tensor cond, Tensor uncond, string sampler, IReadOnlyList<double> sigmas, double cfg, Func<int, Tensor>? ancestralNoise = null, Action<int, float[], float[]>? step = null, Tensor? condVector = null, Tensor? uncondVector = null)
    {
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(sigmas);
        var shape = noise.shape;
        using var contextScope = NewDisposeScope();
        var context = cat([cond, uncond], 0);
        var vector = condVector is null || uncondVector is null ? null : cat([condVector, uncondVector], 0);
        float[] lastDenoised = [];
        float[] Denoise(float[] x, double sigma, int i)
        {
            using var scope = NewDisposeScope();
            var xt = tensor(x).reshape(shape);
            var batch = cat([xt, xt], 0);
            var cIn = 1 / Math.Sqrt((sigma * sigma) + 1);
            var t = ScalarArithmetic.Filled([2], (float)Schedule.Timestep(sigma), ScalarType.Float32);
            // The guidance arithmetic stays on the host in fp32; only the UNet runs on the device, in its dtype.
            var eps = UNet.Forward(batch.Times(cIn), t, context, vector).to(ScalarType.Float32, CPU);
            var d = batch - eps.Times(sigma);
            var (dc, du) = (d[0..1], d[1..2]);
            var guided = du.Plus((dc - du).Times(cfg));
            lastDenoised = guided.flatten().data<float>().ToArray();
            return lastDenoised;
        }

        var x0 = noise.Times(sigmas[0]).flatten().data<float>().ToArray();
        Action<int, float[]>? report = step is null ? null : (i, x) => step(i, x, lastDenoised);
        var result = sampler switch
        {
            "euler" => Samplers.Euler(x0, sigmas, Denoise, report),
            "euler_ancestral" => Samplers.EulerAncestral(x0, sigmas, Denoise, i => ancestralNoise!(i).flatten().data<float>().ToArray(), report),
            "dpmpp_2m" => Samplers.DpmPlusPlus2M(x0, sigmas, Denoise, report),
            _ => throw new ArgumentException($"unknown sampler '{sampler}' (euler, euler_ancestral, dpmpp_2m)", nameof(sampler)),
        };
        return tensor(result).reshape(shape).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            UNet.Dispose();
            Vae.Dispose();
            Weights.Dispose();
        }
    }
}
