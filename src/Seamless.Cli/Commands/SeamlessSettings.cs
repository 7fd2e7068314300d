using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary>
/// The base of every verb's settings: <see cref="Check"/> validates what the options name (files exist, values in
/// range, all problems at once) before any work. A parse-only run (<see cref="Infrastructure.CliApp.Parse"/>, which
/// checks the documentation's command lines) stops at the syntax and skips these checks.
/// </summary>
public abstract class SeamlessSettings : CommandSettings
{
    private static readonly AsyncLocal<bool> ParsingOnly = new();

    internal static bool ParseOnly
    {
        get => ParsingOnly.Value;
        set => ParsingOnly.Value = value;
    }

    public sealed override ValidationResult Validate() => ParseOnly ? ValidationResult.Success() : Check();

    protected virtual ValidationResult Check() => ValidationResult.Success();
}
