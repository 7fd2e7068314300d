using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class SearchSettings : SeamlessSettings
{
    [CommandArgument(0, "[CONFIG]")]
    [Description("Search configuration (YAML or JSON).")]
    public string? Config { get; init; }

    [CommandOption("--resume <NAME>")]
    [Description("Continue a stored search to its budget; trials that were running are re-queued.")]
    public string? Resume { get; init; }

    [CommandOption("--storage <FILE.db>")]
    [Description("The SQLite study file or postgresql://user@host:port/db; with a configuration it overrides the file's 'storage' (default: seamless-studies.db).")]
    public string? Storage { get; init; }

    /// <summary>Where a resumed study is: --storage, else the default file.</summary>
    public string ResumeStorage => Storage ?? "seamless-studies.db";

    [CommandOption("--budget <N>")]
    [Description("With --resume: raise the budget.")]
    public int? Budget { get; init; }

    [CommandOption("--protocol <NAME>")]
    [Description("With a configuration: the tag-accuracy prompt protocol, seamless or rimo (the original benchmark's); overrides the file's 'protocol'.")]
    public string? ProtocolName { get; init; }

    protected override ValidationResult Check()
    {
        if ((Config is null) == (Resume is null))
        {
            return ValidationResult.Error("give a search configuration, or --resume NAME");
        }

        if (ProtocolName is not null && Resume is not null)
        {
            return ValidationResult.Error("--protocol applies to a new search; a resumed search keeps the protocol it started with");
        }

        return Budget is < 1 ? ValidationResult.Error("--budget must be at least 1") : ValidationResult.Success();
    }
}
