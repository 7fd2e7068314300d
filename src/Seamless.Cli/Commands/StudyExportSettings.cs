using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class StudyExportSettings : StudySettings
{
    [CommandArgument(0, "<NAME>")]
    public string Name { get; init; } = string.Empty;

    [CommandOption("--format <FORMAT>")]
    [Description("csv (default) or json.")]
    [DefaultValue("csv")]
    public string Format { get; init; } = "csv";

    [CommandOption("-o|--out <FILE>")]
    [Description("Output file (default: standard output).")]
    public string? Out { get; init; }

    protected override ValidationResult Check()
    {
        var problems = new List<string>();
        var baseResult = base.Check();
        if (!baseResult.Successful)
        {
            problems.Add(baseResult.Message!);
        }

        if (Format is not ("csv" or "json"))
        {
            problems.Add($"--format '{Format}' is not csv or json");
        }

        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join("; ", problems));
    }
}
