using Seamless.Engine.Sampling;
using Seamless.Safetensors;

namespace Seamless.Tests.Sampling;

/// <summary>
/// Replays ../shared/golden/sampler_goldens.safetensors: the denoiser returns the stored CFG output of step i
/// (<c>TAG.denoised.i</c>) and Euler ancestral gets the stored noise, so every latent <c>TAG.x.k</c> tests the sampler
/// arithmetic alone (tolerance atol 2e-3 + rtol 1e-4 as the README suggests; values reach ~90).
/// </summary>
public sealed class SamplersTests
{
    private static float[] Read(SafetensorsFile file, string name)
    {
        var bytes = file.ReadAll(file[name]);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    [SharedDataTheory]
    [InlineData("euler", "uniform", 20)]
    [InlineData("euler", "karras", 4)]
    [InlineData("euler_ancestral", "uniform", 20)]
    [InlineData("euler_ancestral", "karras", 20)]
    [InlineData("dpmpp_2m", "karras", 20)]
    [InlineData("dpmpp_2m", "uniform", 4)]
    public void Sampler_ReplayedDenoiser_SameTrajectoryAsKDiffusion(string sampler, string scheduleName, int n)
    {
        using var file = SafetensorsFile.Open(SharedData.File("golden/sampler_goldens.safetensors")!);
        var tag = $"{sampler}.{scheduleName}.{n}";
        var schedule = new NoiseSchedule();
        var sigmas = scheduleName == "karras" ? SigmaSchedules.Karras(schedule, n) : SigmaSchedules.Uniform(schedule, n);
        var timesteps = Read(file, $"{tag}.timesteps");
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(timesteps[i], schedule.Timestep(sigmas[i]), 3);
        }

        var x0 = Read(file, $"{tag}.x.0");
        float[] Replay(float[] x, double sigma, int step) => Read(file, $"{tag}.denoised.{step}");
        var failures = new List<string>();
        var checkedSteps = new List<int>();
        void Check(int step, float[] x)
        {
            checkedSteps.Add(step);
            var expected = Read(file, $"{tag}.x.{step + 1}");
            for (var k = 0; k < x.Length; k++)
            {
                if (Math.Abs(expected[k] - x[k]) > 2e-3 + (1e-4 * Math.Abs(expected[k])))
                {
                    failures.Add($"x.{step + 1}[{k}]: {x[k]} vs {expected[k]}");
                    return;
                }
            }
        }

        var result = sampler switch
        {
            "euler" => Samplers.Euler(x0, sigmas, Replay, Check),
            "euler_ancestral" => Samplers.EulerAncestral(x0, sigmas, Replay, i => Read(file, $"{tag}.noise.{i}"), Check),
            _ => Samplers.DpmPlusPlus2M(x0, sigmas, Replay, Check),
        };
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Every step was compared, and what the sampler returns is the reference's final latent.
        Assert.Equal(Enumerable.Range(0, n), checkedSteps);
        var last = Read(file, $"{tag}.x.{n}");
        Assert.Equal(last.Length, result.Length);
        Assert.All(last.Zip(result), p => Assert.True(Math.Abs(p.First - p.Second) <= 2e-3 + (1e-4 * Math.Abs(p.First)), $"final {p.Second} vs {p.First}"));
    }
}
