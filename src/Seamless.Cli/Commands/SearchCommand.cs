using Seamless.Application.Studies;
using System.Diagnostics;
using System.Globalization;
using Seamless.Application.Execution;
using Seamless.Application.Reporting;
using Seamless.Application.TagAccuracy;
using Seamless.Cli.Infrastructure;
using Seamless.Errors;
using Seamless.Evaluation;
using Seamless.Evaluation.Prompts;
using Seamless.Hashing;
using Seamless.Merging;
using Seamless.Search.Merges;
using Seamless.Search.Objectives;
using Seamless.Search.Studies;
using Seamless.Storage.Sqlite;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary>
/// <c>seamless search CONFIG.yaml</c>: a durable block-weight search; each trial's candidate is merged, scored and
/// deleted. With <c>rounds</c>, one search per round, each round's best becoming the next base.
/// </summary>
public sealed class SearchCommand(CliConsoles consoles) : Command<SearchSettings>
{
    private string _storage = string.Empty;
    private IReadOnlyList<TagAccuracyOptions>? _backends;

    public override int Execute(CommandContext context, SearchSettings settings, CancellationToken cancellationToken)
    {
        (var config, var store, _backends) = settings.Config is not null ? Start(settings.Config, settings.Storage, settings.ProtocolName) : Resume(settings);
        _storage = settings.Config is not null ? config.Storage : settings.ResumeStorage;

        var storage = StudyStores.Describe(_storage);
        using (store)
        {
            var merger = new CheckpointMerger();
            if (config.Rounds is not null)
            {
                var lineage = Rounds.RunAsync(config, store, (c, s, ct) => RunStudy(c, s, store, merger, ct), merger, cancellationToken).GetAwaiter().GetResult();
                var table = new Table().Border(TableBorder.Simple).AddColumns("round", "base", "drawn", "best trial", "score", "output");
                foreach (var r in lineage)
                {
                    table.AddRow(r.Round.ToString(CultureInfo.InvariantCulture), Markup.Escape(Path.GetFileName(r.Base)), Markup.Escape(Path.GetFileName(r.Drawn)),
                        r.Trial.ToString(CultureInfo.InvariantCulture), r.Score?.ToString("G5", CultureInfo.InvariantCulture) ?? "—", Markup.Escape(r.Output));
                }

                consoles.Out.Write(table);
                consoles.Out.MarkupLine(Markup.Escape($"Final model: {lineage[^1].Output} (lineage in {Path.Combine(config.Rounds.Folder, "lineage.json")})"));
                var (scores, samples) = StudyReports.WriteRounds(config, store, _storage, lineage);
                if (samples is not null)
                {
                    consoles.Out.MarkupLine(Markup.Escape($"Samples by round: {samples}"));
                }

                consoles.Out.MarkupLine(Markup.Escape($"Scores across rounds: {scores}"));
                return 0;
            }

            var study = store.FindStudy(config.Name)!;
            if (settings.Budget is { } b && b > study.Config.Budget)
            {
                study = study with { Config = study.Config with { Budget = b } };
            }

            RunStudy(config, study, store, merger, cancellationToken).GetAwaiter().GetResult();
            var best = MergeSearch.Recommended(study.Config, store.Trials(study.Id))
                ?? throw new RecipeException(null, $"no trial completed; see 'seamless study show {config.Name} --storage {storage}'");
            consoles.Out.MarkupLine(Markup.Escape($"Recommended: trial {best.Number}, score {best.Value?.ToString("G5", CultureInfo.InvariantCulture)}"));
            var layout = Architecture.BlockMap.LayoutOf(config.Architecture, config.BlockMap);
            foreach (var model in MergeSearchSpace.Recipe(config, best.Parameters).Models)
            {
                // Raw: people paste these into supermerger and the shell, where a console's wrapping would break them.
                consoles.WriteRaw($"  {Path.GetFileName(model.Path)}: {model.Weights.Resolve(layout, new List<string>())!.ToSupermerger(decimals: 4)}");
            }

            consoles.WriteRaw($"Write it with: seamless best {config.Name} --storage {storage} --out best.safetensors");
        }

        return 0;
    }

    /// <summary>A new search: its configuration, store and backends, every option checked before the store is opened.</summary>
    private (MergeSearchConfig Config, IStudyStore Store, IReadOnlyList<TagAccuracyOptions>? Backends) Start(string path, string? storage, string? protocol)
    {
        var config = MergeSearchConfigLoader.Load(path);
        if (storage is not null)
        {
            config = config with { Storage = storage };
        }

        if (protocol is not null)
        {
            var given = config.TagAccuracy ?? throw new RecipeException(path, "--protocol needs a tag_accuracy objective; this configuration scores with an objective command");
            config = config with { TagAccuracy = new Dictionary<string, string>(given, StringComparer.Ordinal) { ["protocol"] = protocol } };
        }

        var backends = config.TagAccuracy is { } options ? StudyExecution.BindBackends(path, config, options) : null;

        var store = StudyStores.Open(config.Storage, consoles.WriteNote);
        var first = config.Rounds is null ? config.Name : Rounds.StudyName(config, 0);
        if (store.FindStudy(first) is not null)
        {
            store.Dispose();
            throw new RecipeException(path, $"study '{first}' already exists in {config.Storage}; continue it with 'seamless search --resume {config.Name} --storage {config.Storage}' or change 'name'");
        }

        if (config.Rounds is null)
        {
            MergeSearch.Create(store, config);
        }

        return (config, store, backends);
    }

    /// <summary>A stored search: its configuration (a round plan's from its first round), store and backends.</summary>
    private (MergeSearchConfig Config, IStudyStore Store, IReadOnlyList<TagAccuracyOptions>? Backends) Resume(SearchSettings settings)
    {
        if (!StudyStores.Exists(settings.ResumeStorage))
        {
            throw new RecipeException(settings.ResumeStorage, "study file not found");
        }

        var store = StudyStores.Open(settings.ResumeStorage, consoles.WriteNote);
        try
        {
            var name = settings.Resume!;
            var config = store.FindStudy(name) is { } study ? MergeSearch.FromStudy(study.Config)

                // A round plan: its first round's stored configuration holds the whole plan.
                : store.FindStudy($"{name}-round0") is { } round0 ? MergeSearch.FromStudy(round0.Config) with { Name = name }
                : throw new RecipeException(settings.ResumeStorage, $"no study named '{name}' (see 'seamless study list --storage {settings.ResumeStorage}')");
            return (config, store, config.TagAccuracy is { } options ? StudyExecution.BindBackends(name, config, options) : null);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    private Task RunStudy(MergeSearchConfig config, StudyRecord study, IStudyStore store, CheckpointMerger merger, CancellationToken cancellationToken) =>
        new StudyExecution(_storage, new ExecutionLines(consoles)) { Trials = new TrialLines(consoles) }.RunAsync(config, study, store, merger, _backends, parallel: 1, cancellationToken);
}
