using Seamless.Application.Studies;
using Seamless.Application.Execution;
using Seamless.Application.TagAccuracy;
using Seamless.Cli.Infrastructure;
using Seamless.Errors;
using Seamless.Merging;
using Seamless.Search.Merges;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary>
/// <c>seamless worker STUDY --storage postgresql://…</c>: joins a stored merge search from any machine. The study
/// supplies everything that must be equal for all workers (models, space, optimiser, prompts, seeds); the command line
/// supplies what is this machine's (backend URLs, checkpoint folders, tagger path, work folder). Workers claim queued
/// trials, propose new ones (pending points excluded), heartbeat while they run and stop when the budget is spent.
/// </summary>
public sealed class WorkerCommand(CliConsoles consoles) : Command<WorkerSettings>
{
    public override int Execute(CommandContext context, WorkerSettings settings, CancellationToken cancellationToken)
    {
        using var store = StudyStores.Open(settings.Storage, consoles.WriteNote);
        var study = store.FindStudy(settings.Name) ?? throw new RecipeException(settings.Storage, $"no study named '{settings.Name}' (see 'seamless study list --storage {settings.Storage}')");
        var config = MergeSearch.FromStudy(study.Config);
        if (settings.Work is not null)
        {
            config = config with { WorkFolder = Path.GetFullPath(settings.Work) };
        }

        var missing = new[] { config.BasePath }.Concat(config.Models).Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            throw new RecipeException(settings.Name, $"this machine lacks the study's input models ({string.Join(", ", missing)}); workers need them at the same paths");
        }

        IReadOnlyList<TagAccuracyOptions>? backends = null;
        if (config.TagAccuracy is { } stored)
        {
            var map = new Dictionary<string, string>(stored, StringComparer.Ordinal);
            void Set(string key, string? value)
            {
                if (value is not null)
                {
                    map[key] = value;
                }
            }

            Set("url", settings.Urls.Length > 0 ? string.Join(',', settings.Urls) : null);
            Set("models_dir", settings.ModelsDirs.Length > 0 ? string.Join(',', settings.ModelsDirs.Select(Path.GetFullPath)) : null);
            Set("api_auth", settings.ApiAuth);
            Set("tagger", settings.Tagger is null ? null : Path.GetFullPath(settings.Tagger));
            Set("encoder", settings.Encoder is null ? null : Path.GetFullPath(settings.Encoder));
            Set("cache", settings.Cache);
            Set("device", settings.Device);
            backends = StudyExecution.BindBackends(settings.Name, config, map);
        }

        consoles.Error.MarkupLine(Markup.Escape($"Worker {Environment.MachineName}:{Environment.ProcessId} joining '{settings.Name}'"));
        new StudyExecution(settings.Storage, new ExecutionLines(consoles)) { Trials = new TrialLines(consoles) }
            .RunAsync(config, study, store, new CheckpointMerger(), backends, settings.Parallel, cancellationToken).GetAwaiter().GetResult();
        return 0;
    }
}
