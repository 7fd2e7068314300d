using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class QuickstartSettings : CommandSettings
{
    [CommandOption("--dir <FOLDER>")]
    [Description("Where the tiny models and outputs go (default: ./seamless-quickstart).")]
    [DefaultValue("seamless-quickstart")]
    public string Dir { get; init; } = "seamless-quickstart";

    [CommandOption("--budget <N>")]
    [Description("Trials of the tiny search (default 24).")]
    [DefaultValue(24)]
    public int Budget { get; init; } = 24;

    public override ValidationResult Validate() =>
        Budget < 1 ? ValidationResult.Error("--budget must be at least 1") : ValidationResult.Success();
}
