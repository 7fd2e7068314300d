namespace Seamless.Engine.Sampling;

/// <summary>
/// The DDPM schedule SD was trained with: β from a linspace of √β_start…√β_end squared (CompVis "linear",
/// 0.00085…0.012 over 1000 steps), ᾱ = Π(1−β), and the k-diffusion view σ = √((1−ᾱ)/ᾱ) with log σ for
/// timestep interpolation.
/// </summary>
public sealed class NoiseSchedule
{
    public NoiseSchedule(double linearStart = 0.00085, double linearEnd = 0.012, int steps = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        AlphasCumprod = new double[steps];
        Sigmas = new double[steps];
        LogSigmas = new double[steps];
        var a = Math.Sqrt(linearStart);
        var b = Math.Sqrt(linearEnd);
        var product = 1.0;
        for (var i = 0; i < steps; i++)
        {
            var root = a + ((b - a) * i / (steps - 1));
            product *= 1 - (root * root);

            // The checkpoints store ᾱ as float32; σ is derived from that stored value.
            var stored = (double)(float)product;
            AlphasCumprod[i] = stored;
            Sigmas[i] = Math.Sqrt((1 - stored) / stored);
            LogSigmas[i] = Math.Log(Sigmas[i]);
        }
    }

    public double[] AlphasCumprod { get; }

    public double[] Sigmas { get; }

    public double[] LogSigmas { get; }

    public double SigmaMin => Sigmas[0];

    public double SigmaMax => Sigmas[^1];

    /// <summary>
    /// The (fractional) timestep of σ: piecewise-linear interpolation in log σ between the two neighbouring training
    /// timesteps, clamped to the schedule (k-diffusion <c>sigma_to_t</c>).
    /// </summary>
    public double Timestep(double sigma)
    {
        var logSigma = Math.Log(sigma);
        var count = 0;
        foreach (var l in LogSigmas)
        {
            if (l <= logSigma)
            {
                count++;
            }
        }

        var low = Math.Clamp(count - 1, 0, LogSigmas.Length - 2);
        var high = low + 1;
        var w = Math.Clamp((LogSigmas[low] - logSigma) / (LogSigmas[low] - LogSigmas[high]), 0, 1);
        return ((1 - w) * low) + (w * high);
    }

    /// <summary>σ at a fractional timestep: the inverse interpolation (k-diffusion <c>t_to_sigma</c>).</summary>
    public double Sigma(double timestep)
    {
        var low = (int)Math.Floor(timestep);
        var high = (int)Math.Ceiling(timestep);
        var w = timestep - low;
        return Math.Exp(((1 - w) * LogSigmas[low]) + (w * LogSigmas[high]));
    }
}
