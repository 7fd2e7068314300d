using Seamless.Engine.Sampling;
using Seamless.Evaluation.Errors;

namespace Seamless.Backends.Embedded;

/// <summary>
/// A1111 sampler and scheduler names (what <c>GenerationRequest</c> carries) in the engine's terms. "Automatic" means
/// the sampler's A1111 default: Karras for DPM++ 2M, the uniform ("normal") schedule for Euler and Euler a.
/// </summary>
public sealed record SamplerChoice(string Sampler, bool Karras)
{
    public static readonly IReadOnlyList<string> Samplers = ["Euler", "Euler a", "DPM++ 2M"];

    public static readonly IReadOnlyList<string> Schedulers = ["Automatic", "Karras", "Normal"];

    public static SamplerChoice Parse(string sampler, string scheduler)
    {
        var (name, karrasDefault) = sampler.Trim().ToUpperInvariant() switch
        {
            "EULER" or "EULER_DISCRETE" => ("euler", false),
            "EULER A" or "EULER_ANCESTRAL" => ("euler_ancestral", false),
            "DPM++ 2M" or "DPMPP_2M" => ("dpmpp_2m", true),
            "DPM++ 2M KARRAS" => ("dpmpp_2m", true),
            _ => throw new EvaluationException("embedded", EvaluationError.ProtocolInvalid, $"sampler '{sampler}' is not in the embedded engine; it has {string.Join(", ", Samplers)}"),
        };
        var karras = scheduler.Trim().ToUpperInvariant() switch
        {
            "" or "AUTOMATIC" => karrasDefault || sampler.Contains("Karras", StringComparison.OrdinalIgnoreCase),
            "KARRAS" => true,
            "NORMAL" or "UNIFORM" => false,
            _ => throw new EvaluationException("embedded", EvaluationError.ProtocolInvalid, $"scheduler '{scheduler}' is not in the embedded engine; it has {string.Join(", ", Schedulers)}"),
        };
        return new SamplerChoice(name, karras);
    }

    public double[] Sigmas(NoiseSchedule schedule, int steps) =>
        Karras ? SigmaSchedules.Karras(schedule, steps) : SigmaSchedules.Uniform(schedule, steps);
}
