using Seamless.Cli.Infrastructure;
using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary>Options every <c>seamless study</c> verb shares.</summary>
public class StudySettings : SeamlessSettings
{
    [CommandOption("--storage <FILE.db>")]
    [Description("SQLite study file (default: seamless-studies.db) or postgresql://user@host:port/db.")]
    [DefaultValue("seamless-studies.db")]
    public string Storage { get; init; } = "seamless-studies.db";

    protected override ValidationResult Check() =>
        Seamless.Application.Studies.StudyStores.Exists(Storage) ? ValidationResult.Success() : ValidationResult.Error($"{Storage} not found (no studies yet?)");
}
