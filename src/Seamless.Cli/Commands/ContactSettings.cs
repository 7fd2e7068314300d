using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class ContactSettings : SeamlessSettings
{
    [CommandArgument(0, "<A>")]
    [Description("Model A, whose accuracy is kept.")]
    public string A { get; init; } = string.Empty;

    [CommandArgument(1, "<B>")]
    [Description("Model B, whose low-rank difference is added.")]
    public string B { get; init; } = string.Empty;

    [CommandOption("-r|--rank <R>")]
    [Description("Rank of the difference kept per tensor (default 4).")]
    [DefaultValue(4)]
    public int Rank { get; init; } = 4;

    [CommandOption("-o|--out <PATH>")]
    [Description("Output .safetensors file.")]
    public string? Out { get; init; }

    [CommandOption("--exact")]
    [Description("Use an exact SVD instead of the randomised one (much slower, same result within 1 %).")]
    public bool Exact { get; init; }

    [CommandOption("--oversample <P>")]
    [DefaultValue(8)]
    public int Oversample { get; init; } = 8;

    [CommandOption("--power-iterations <Q>")]
    [DefaultValue(2)]
    public int PowerIterations { get; init; } = 2;

    [CommandOption("--seed <N>")]
    [DefaultValue(0UL)]
    public ulong Seed { get; init; }

    [CommandOption("--dtype <DTYPE>")]
    [Description("Output dtype: fp16 (default), bf16 or fp32.")]
    public string? DType { get; init; }

    [CommandOption("--threads <N>")]
    public int Threads { get; init; }

    protected override ValidationResult Check()
    {
        var problems = new List<string>();
        if (Rank < 1)
        {
            problems.Add("--rank must be at least 1");
        }

        if (Out is null)
        {
            problems.Add("--out is required");
        }

        if (Oversample < 0 || PowerIterations < 0)
        {
            problems.Add("--oversample and --power-iterations must not be negative");
        }

        if (DType is not null && !Safetensors.DTypeExtensions.TryParseUserName(DType, out _))
        {
            problems.Add($"--dtype '{DType}' is not one of fp16, bf16, fp32");
        }

        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join("; ", problems));
    }
}
