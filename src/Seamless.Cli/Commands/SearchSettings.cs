using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class SearchSettings : CommandSettings
{
    [CommandArgument(0, "[CONFIG]")]
    [Description("Search configuration (YAML or JSON).")]
    public string? Config { get; init; }

    [CommandOption("--resume <NAME>")]
    [Description("Continue a stored search to its budget; trials that were running are re-queued.")]
    public string? Resume { get; init; }

    [CommandOption("--storage <FILE.db>")]
    [Description("With --resume: the SQLite study file (default: seamless-studies.db) or postgresql://user@host:port/db.")]
    [DefaultValue("seamless-studies.db")]
    public string Storage { get; init; } = "seamless-studies.db";

    [CommandOption("--budget <N>")]
    [Description("With --resume: raise the budget.")]
    public int? Budget { get; init; }

    public override ValidationResult Validate()
    {
        if ((Config is null) == (Resume is null))
        {
            return ValidationResult.Error("give a search configuration, or --resume NAME");
        }

        return Budget is < 1 ? ValidationResult.Error("--budget must be at least 1") : ValidationResult.Success();
    }
}
