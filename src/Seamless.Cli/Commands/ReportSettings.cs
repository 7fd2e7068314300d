using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class ReportSettings : StudySettings
{
    [CommandArgument(0, "<STUDY>")]
    public string Name { get; init; } = string.Empty;

    [CommandOption("-o|--out <DIR>")]
    [Description("Folder for report.html, report.md and charts/ (default: STUDY-report).")]
    public string? Out { get; init; }

    [CommandOption("--grid <PNG>")]
    [Description("Sample grid images to include (e.g. from 'seamless bench --grid'); repeatable.")]
    public string[] Grids { get; init; } = [];

    protected override ValidationResult Check()
    {
        var missing = Grids.Where(g => !File.Exists(g)).ToList();
        return missing.Count > 0 ? ValidationResult.Error($"grid image(s) not found: {string.Join(", ", missing)}") : base.Check();
    }
}
