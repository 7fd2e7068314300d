using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class MergeSettings : SeamlessSettings
{
    [CommandArgument(0, "[RECIPE]")]
    [Description("Recipe file (YAML or JSON). Or use --base/--model instead.")]
    public string? Recipe { get; init; }

    [CommandOption("-o|--out <PATH>")]
    [Description("Output .safetensors file (written to a temp file, then renamed).")]
    public string? Out { get; init; }

    [CommandOption("--base <PATH>")]
    [Description("Base model A (instead of a recipe file).")]
    public string? Base { get; init; }

    [CommandOption("--model <PATH@WEIGHTS>")]
    [Description("A model and its weights, e.g. b.safetensors@0.3 or c.safetensors@\"IN04-IN08=0.2,M00=-0.1\" (repeatable).")]
    public string[] Models { get; init; } = [];

    [CommandOption("--subtract <PATH>")]
    [Description("For add_difference: the model C subtracted from each --model, in order (repeatable).")]
    public string[] Subtract { get; init; } = [];

    [CommandOption("--method <NAME>")]
    [Description("weighted_sum (default) or add_difference.")]
    public string? Method { get; init; }

    [CommandOption("--dtype <DTYPE>")]
    [Description("Output dtype: fp16 (default), bf16 or fp32.")]
    public string? DType { get; init; }

    [CommandOption("--threads <N>")]
    [Description("Worker threads (default: all cores).")]
    public int Threads { get; init; }

    [CommandOption("--dry-run")]
    [Description("Validate and print the plan (block weights, warnings) without writing.")]
    public bool DryRun { get; init; }

    protected override ValidationResult Check()
    {
        var problems = new List<string>();
        if (Recipe is null && Base is null)
        {
            problems.Add("give a recipe file or --base with --model");
        }

        if (Recipe is not null && (Base is not null || Models.Length > 0))
        {
            problems.Add("give either a recipe file or --base/--model, not both");
        }

        if (Base is not null && Models.Length == 0)
        {
            problems.Add("--base needs at least one --model PATH@WEIGHTS");
        }

        if (Out is null && !DryRun)
        {
            problems.Add("--out is required (or --dry-run)");
        }

        if (Threads < 0)
        {
            problems.Add("--threads must be positive");
        }

        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join("; ", problems));
    }
}
