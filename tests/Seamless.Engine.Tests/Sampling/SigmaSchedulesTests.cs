using Seamless.Engine.Sampling;
using Seamless.Safetensors;

namespace Seamless.Tests.Sampling;

/// <summary>Against ../shared/golden/sampler_goldens.safetensors (k-diffusion, float32; rtol 1e-6 as its README suggests).</summary>
public sealed class SigmaSchedulesTests
{
    private static float[] Golden(string name)
    {
        using var file = SafetensorsFile.Open(SharedData.File("golden/sampler_goldens.safetensors")!);
        var bytes = file.ReadAll(file[name]);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    private static void Close(float[] expected, double[] actual, double rtol, double atol = 0)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= atol + (rtol * Math.Abs(expected[i])), $"[{i}] expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    [SharedDataFact]
    public void NoiseSchedule_MatchesTrainingSchedule()
    {
        var s = new NoiseSchedule();
        Close(Golden("schedule.alphas_cumprod"), s.AlphasCumprod, 1e-6);
        Close(Golden("schedule.sigmas"), s.Sigmas, 1e-6);
        Close(Golden("schedule.log_sigmas"), s.LogSigmas, 1e-6, 1e-6);
    }

    [SharedDataFact]
    public void Karras_4And20Steps_MatchKDiffusion()
    {
        var s = new NoiseSchedule();
        Close(Golden("sigmas.karras.4"), SigmaSchedules.Karras(s, 4), 1e-6);
        Close(Golden("sigmas.karras.20"), SigmaSchedules.Karras(s, 20), 1e-6);
    }

    [SharedDataFact]
    public void Uniform_4And20Steps_MatchKDiffusion()
    {
        var s = new NoiseSchedule();
        Close(Golden("sigmas.uniform.4"), SigmaSchedules.Uniform(s, 4), 1e-6);
        Close(Golden("sigmas.uniform.20"), SigmaSchedules.Uniform(s, 20), 1e-6);
    }

    [Fact]
    public void Timestep_OfTrainingSigmas_IsTheirIndex()
    {
        var s = new NoiseSchedule();
        foreach (var t in new[] { 0, 1, 17, 500, 998, 999 })
        {
            Assert.Equal(t, s.Timestep(s.Sigmas[t]), 3);
        }

        Assert.Equal(0, s.Timestep(s.SigmaMin / 10), 9);
        Assert.Equal(999, s.Timestep(s.SigmaMax * 10), 9);
        Assert.Equal(412.25, s.Timestep(s.Sigma(412.25)), 6);
    }
}
