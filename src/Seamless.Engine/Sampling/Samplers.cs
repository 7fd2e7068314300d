namespace Seamless.Engine.Sampling;

/// <summary>The denoiser a sampler drives: D(x, σ) at step i (for SD: x − σ·ε with CFG applied).</summary>
public delegate float[] Denoiser(float[] x, double sigma, int step);

/// <summary>
/// k-diffusion's samplers over latents as flat arrays (k-diffusion <c>sample_euler</c>, <c>sample_euler_ancestral</c>,
/// <c>sample_dpmpp_2m</c>, s_churn 0, η 1), the start latent being noise·σ₀. Arithmetic per element in double, stored
/// as float. The TorchSharp engine runs the same formulas on tensors; this is their reference.
/// </summary>
public static class Samplers
{
    public static float[] Euler(float[] x, IReadOnlyList<double> sigmas, Denoiser denoise, Action<int, float[]>? step = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(sigmas);
        ArgumentNullException.ThrowIfNull(denoise);
        x = (float[])x.Clone();
        for (var i = 0; i < sigmas.Count - 1; i++)
        {
            var d = denoise(x, sigmas[i], i);
            double s0 = sigmas[i], s1 = sigmas[i + 1];
            for (var k = 0; k < x.Length; k++)
            {
                var slope = (x[k] - d[k]) / s0;
                x[k] = (float)(x[k] + (slope * (s1 - s0)));
            }

            step?.Invoke(i, x);
        }

        return x;
    }

    /// <summary><paramref name="noise"/>(i) gives the unit Gaussian added after step i (none after the last).</summary>
    public static float[] EulerAncestral(float[] x, IReadOnlyList<double> sigmas, Denoiser denoise, Func<int, float[]> noise, Action<int, float[]>? step = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(sigmas);
        ArgumentNullException.ThrowIfNull(denoise);
        ArgumentNullException.ThrowIfNull(noise);
        x = (float[])x.Clone();
        for (var i = 0; i < sigmas.Count - 1; i++)
        {
            var d = denoise(x, sigmas[i], i);
            double s0 = sigmas[i], s1 = sigmas[i + 1];
            var up = Math.Min(s1, Math.Sqrt(s1 * s1 * ((s0 * s0) - (s1 * s1)) / (s0 * s0)));
            var down = Math.Sqrt((s1 * s1) - (up * up));
            var n = s1 > 0 ? noise(i) : null;
            for (var k = 0; k < x.Length; k++)
            {
                var slope = (x[k] - d[k]) / s0;
                var v = x[k] + (slope * (down - s0));
                if (n is not null)
                {
                    v += n[k] * up;
                }

                x[k] = (float)v;
            }

            step?.Invoke(i, x);
        }

        return x;
    }

    public static float[] DpmPlusPlus2M(float[] x, IReadOnlyList<double> sigmas, Denoiser denoise, Action<int, float[]>? step = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(sigmas);
        ArgumentNullException.ThrowIfNull(denoise);
        x = (float[])x.Clone();
        float[]? previous = null;
        var hPrevious = 0.0;
        for (var i = 0; i < sigmas.Count - 1; i++)
        {
            var d = denoise(x, sigmas[i], i);
            double s0 = sigmas[i], s1 = sigmas[i + 1];
            var t = -Math.Log(s0);
            var tNext = s1 > 0 ? -Math.Log(s1) : double.PositiveInfinity;
            var h = tNext - t;
            var ratio = s1 / s0;
            var factor = -double.ExpM1(-h);
            if (previous is null || s1 == 0)
            {
                for (var k = 0; k < x.Length; k++)
                {
                    x[k] = (float)((ratio * x[k]) + (factor * d[k]));
                }
            }
            else
            {
                var r = hPrevious / h;
                var a = 1 + (1 / (2 * r));
                var b = 1 / (2 * r);
                for (var k = 0; k < x.Length; k++)
                {
                    x[k] = (float)((ratio * x[k]) + (factor * ((a * d[k]) - (b * previous[k]))));
                }
            }

            previous = d;
            hPrevious = h;
            step?.Invoke(i, x);
        }

        return x;
    }
}
