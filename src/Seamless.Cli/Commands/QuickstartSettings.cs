using System.ComponentModel;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class QuickstartSettings : CommandSettings
{
    [CommandOption("--dir <FOLDER>")]
    [Description("Where the tiny models and outputs go (default: ./seamless-quickstart).")]
    [DefaultValue("seamless-quickstart")]
    public string Dir { get; init; } = "seamless-quickstart";
}
