using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class BestSettings : StudySettings
{
    [CommandArgument(0, "<STUDY>")]
    public string Name { get; init; } = string.Empty;

    [CommandOption("-o|--out <PATH>")]
    [Description("Where to write the recommended merge.")]
    public string? Out { get; init; }

    protected override ValidationResult Check() =>
        Out is null ? ValidationResult.Error("--out is required") : base.Check();
}
