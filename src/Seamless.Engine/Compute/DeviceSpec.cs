using System.Globalization;
using System.Text.RegularExpressions;

namespace Seamless.Engine.Compute;

/// <summary>
/// Where the embedded engine runs and in which precision, as the user writes it: <c>cpu</c>, <c>cuda</c>,
/// <c>cuda:1</c>, each optionally followed by <c>/fp32</c>, <c>/fp16</c> or <c>/bf16</c>. Defaults: fp32 on the CPU
/// (reduced precision there is slower and only useful to check the GPU path), fp16 on CUDA (as A1111 and ComfyUI run
/// SD; it halves the resident weights). The VAE stays fp32 everywhere: the SDXL VAE overflows in fp16.
/// Parsing needs no libtorch, so the CLI can validate the option before it loads the engine.
/// </summary>
public sealed partial record DeviceSpec(bool Cuda, int Index, WeightPrecision Precision)
{
    public static DeviceSpec Cpu { get; } = new(false, 0, WeightPrecision.Fp32);

    public static bool TryParse(string? text, out DeviceSpec spec, out string problem)
    {
        spec = Cpu;
        problem = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var m = Pattern().Match(text.Trim());
        if (!m.Success)
        {
            problem = $"device '{text}' is not cpu, cuda or cuda:N, optionally with /fp32, /fp16 or /bf16";
            return false;
        }

        var cuda = m.Groups["kind"].Value == "cuda";
        var index = m.Groups["index"].Success ? int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture) : 0;
        if (!cuda && m.Groups["index"].Success)
        {
            problem = $"device '{text}': only cuda takes an index";
            return false;
        }

        var precision = m.Groups["precision"].Value switch
        {
            "fp32" => WeightPrecision.Fp32,
            "fp16" => WeightPrecision.Fp16,
            "bf16" => WeightPrecision.Bf16,
            _ => cuda ? WeightPrecision.Fp16 : WeightPrecision.Fp32,
        };
        spec = new DeviceSpec(cuda, index, precision);
        return true;
    }

    /// <summary>Parses <paramref name="text"/>; null or empty is the CPU.</summary>
    public static DeviceSpec Parse(string? text) =>
        TryParse(text, out var spec, out var problem) ? spec : throw new EngineDeviceException(problem);

    public override string ToString() =>
        (Cuda ? string.Create(CultureInfo.InvariantCulture, $"cuda:{Index}") : "cpu") + "/" + Precision.ToString().ToLowerInvariant();

    [GeneratedRegex("^(?<kind>cpu|cuda)(:(?<index>[0-9]{1,2}))?(/(?<precision>fp32|fp16|bf16))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
