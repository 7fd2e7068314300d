using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class StudyMigrateSettings : StudySettings
{
    [CommandArgument(0, "[NAME]")]
    [Description("The study to copy (default: every study in --storage).")]
    public string? Name { get; init; }

    [CommandOption("--to <STORAGE>")]
    [Description("Target storage: postgresql://user@host:port/db or a SQLite file.")]
    public string? To { get; init; }

    protected override ValidationResult Check() =>
        string.IsNullOrWhiteSpace(To) ? ValidationResult.Error("--to is required (e.g. postgresql://user@host:5432/studies)") : base.Check();
}
