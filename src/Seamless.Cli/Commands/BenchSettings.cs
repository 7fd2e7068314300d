using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class BenchSettings : EvaluationSettings
{
    [CommandOption("-m|--models <PATHS>")]
    [Description("The checkpoints to compare (repeat the option or list them after it).")]
    public string[] Models { get; init; } = [];

    [CommandOption("--json <FILE>")]
    [Description("Write the results as JSON.")]
    public string? Json { get; init; }

    [CommandOption("--md <FILE>")]
    [Description("Write the tables as Markdown.")]
    public string? Markdown { get; init; }

    [CommandOption("--csv <FILE>")]
    [Description("Write the results as CSV.")]
    public string? Csv { get; init; }

    [CommandOption("--images-out <DIR>")]
    [Description("Keep every image, as DIR/MODEL/PROMPT-SEED.png.")]
    public string? ImagesOut { get; init; }

    [CommandOption("--grid <FILE>")]
    [Description("Write a labelled sample grid PNG: one row per model, the first image of the first 6 prompts.")]
    public string? Grid { get; init; }

    [CommandOption("--tag-counts <LIST>")]
    [Description("Tags per prompt for the accuracy-by-tag-count table (default 2,4,8,16,32,64,128; 'none' skips it).")]
    [DefaultValue("2,4,8,16,32,64,128")]
    public string TagCounts { get; init; } = "2,4,8,16,32,64,128";

    [CommandOption("--count-prompts <N>")]
    [Description("Prompts per tag count in that table (default 8).")]
    [DefaultValue(8)]
    public int CountPrompts { get; init; } = 8;

    public IReadOnlyList<int> ParsedTagCounts() =>
        TagCounts == "none" ? [] : TagCounts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToList();

    protected override ValidationResult Check()
    {
        var options = ToOptions();
        var problems = options.Problems();
        if (Models.Length == 0)
        {
            problems.Add("--models needs at least one checkpoint");
        }

        problems.AddRange(Models.Where(m => !File.Exists(m)).Select(m => $"model '{m}' does not exist"));
        problems.AddRange(options.VaeModels().Where(v => !Models.Any(m => Path.GetFileName(m) == v || Path.GetFileNameWithoutExtension(m) == v))
            .Select(v => $"--vae names '{v}', which is not one of --models"));
        if (TagCounts != "none" && TagCounts.Split(',', StringSplitOptions.RemoveEmptyEntries).Any(c => !int.TryParse(c.Trim(), out var n) || n < 1))
        {
            problems.Add($"--tag-counts '{TagCounts}' must be positive integers separated by commas, or 'none'");
        }

        if (CountPrompts < 1)
        {
            problems.Add("--count-prompts must be at least 1");
        }

        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join("; ", problems));
    }
}
