using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class WorkerSettings : StudySettings
{
    [CommandArgument(0, "<STUDY>")]
    [Description("The merge search to work on (created by 'seamless search').")]
    public string Name { get; init; } = string.Empty;

    [CommandOption("--url <URL>")]
    [Description("This machine's backend(s); repeat for several (one runner each). Default: the study's.")]
    public string[] Urls { get; init; } = [];

    [CommandOption("--models-dir <DIR>")]
    [Description("Checkpoint folder per --url (or one for all), as this machine sees it. Default: the study's.")]
    public string[] ModelsDirs { get; init; } = [];

    [CommandOption("--api-auth <USER:PASSWORD>")]
    public string? ApiAuth { get; init; }

    [CommandOption("--tagger <PATH>")]
    [Description("The tagger on this machine. Default: the study's path.")]
    public string? Tagger { get; init; }

    [CommandOption("--encoder <PATH>")]
    [Description("The image encoder on this machine, for a study that measures diversity. Default: the study's path.")]
    public string? Encoder { get; init; }

    [CommandOption("--cache <DIR>")]
    public string? Cache { get; init; }

    [CommandOption("--work <DIR>")]
    [Description("Where this machine writes candidates. Default: the study's work folder.")]
    public string? Work { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("Embedded backend: this machine's device (cpu, cuda, cuda:N, optionally /fp16 etc.). Default: the study's.")]
    public string? Device { get; init; }

    [CommandOption("--parallel <N>")]
    [Description("Runners for a command objective (default 1); tag accuracy runs one per backend URL.")]
    [DefaultValue(1)]
    public int Parallel { get; init; } = 1;

    protected override ValidationResult Check()
    {
        if (Parallel < 1)
        {
            return ValidationResult.Error("--parallel must be at least 1");
        }

        if (ModelsDirs.Length > 1 && ModelsDirs.Length != Urls.Length)
        {
            return ValidationResult.Error($"{Urls.Length} --url but {ModelsDirs.Length} --models-dir: give one for all, or one per --url");
        }

        return base.Check();
    }
}
