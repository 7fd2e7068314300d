namespace Seamless.Engine.Sampling;

/// <summary>
/// The σ sequences samplers step through, each ending with 0: Karras et al. (2022) with ρ = 7 between the schedule's
/// σ_min and σ_max, and "normal"/uniform (timesteps evenly spaced from 999 to 0, the A1111 and k-diffusion default).
/// </summary>
public static class SigmaSchedules
{
    public static double[] Karras(NoiseSchedule schedule, int steps, double rho = 7)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var minInv = Math.Pow(schedule.SigmaMin, 1 / rho);
        var maxInv = Math.Pow(schedule.SigmaMax, 1 / rho);
        var sigmas = new double[steps + 1];
        for (var i = 0; i < steps; i++)
        {
            var ramp = steps == 1 ? 0 : (double)i / (steps - 1);
            sigmas[i] = Math.Pow(maxInv + (ramp * (minInv - maxInv)), rho);
        }

        return sigmas;
    }

    public static double[] Uniform(NoiseSchedule schedule, int steps)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var tMax = schedule.Sigmas.Length - 1;
        var sigmas = new double[steps + 1];
        for (var i = 0; i < steps; i++)
        {
            var t = steps == 1 ? tMax : tMax - ((double)tMax * i / (steps - 1));
            sigmas[i] = schedule.Sigma(t);
        }

        return sigmas;
    }
}
