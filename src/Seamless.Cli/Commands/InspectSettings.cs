using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class InspectSettings : SeamlessSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("A .safetensors checkpoint.")]
    public string File { get; init; } = string.Empty;

    [CommandOption("--keys")]
    [Description("Also list every tensor with dtype and shape.")]
    public bool Keys { get; init; }

    [CommandOption("--json")]
    [Description("Print a JSON summary instead of tables.")]
    public bool Json { get; init; }

    protected override ValidationResult Check() =>
        string.IsNullOrWhiteSpace(File) ? ValidationResult.Error("give the checkpoint to inspect") : ValidationResult.Success();
}
