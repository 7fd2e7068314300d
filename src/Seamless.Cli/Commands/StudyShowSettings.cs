using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class StudyShowSettings : StudySettings
{
    [CommandArgument(0, "<NAME>")]
    public string Name { get; init; } = string.Empty;
}
