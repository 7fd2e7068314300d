using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class FabricateSettings : SeamlessSettings
{
    [CommandArgument(0, "<OUT>")]
    [Description("Output .safetensors file.")]
    public string Out { get; init; } = string.Empty;

    [CommandOption("--arch <ARCH>")]
    [Description("sd15, sdxl, or the path of a manifest JSON ({\"tensors\": {key: {shape, dtype}}}).")]
    [DefaultValue("sd15")]
    public string Arch { get; init; } = "sd15";

    [CommandOption("--scale <SCALE>")]
    [Description("tiny (same keys, small widths, ≈30 MB for sd15) or full (real shapes).")]
    [DefaultValue("tiny")]
    public string Scale { get; init; } = "tiny";

    [CommandOption("--seed <N>")]
    [DefaultValue(1UL)]
    public ulong Seed { get; init; } = 1;

    [CommandOption("--dtype <DTYPE>")]
    [Description("Float dtype of the weights: fp16 (default), bf16 or fp32.")]
    public string? DType { get; init; }

    protected override ValidationResult Check()
    {
        var problems = new List<string>();
        if (Scale is not ("tiny" or "full"))
        {
            problems.Add($"--scale '{Scale}' is not tiny or full");
        }

        if (Arch is not ("sd15" or "sd1" or "sdxl") && !System.IO.File.Exists(Arch))
        {
            problems.Add($"--arch '{Arch}' is not sd15, sdxl or an existing manifest file");
        }

        if (DType is not null && !Safetensors.DTypeExtensions.TryParseUserName(DType, out _))
        {
            problems.Add($"--dtype '{DType}' is not one of fp16, bf16, fp32");
        }

        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join("; ", problems));
    }
}
