using System.Diagnostics;
using System.Globalization;
using Seamless.Cli.Infrastructure;
using Seamless.Errors;
using Seamless.Merging;
using Seamless.Search.Merges;
using Seamless.Search.Objectives;
using Seamless.Search.Studies;
using Seamless.Storage.Sqlite;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary><c>seamless search CONFIG.yaml</c>: a durable block-weight search; each trial's candidate is merged, scored, deleted.</summary>
public sealed class SearchCommand(CliConsoles consoles) : Command<SearchSettings>
{
    public override int Execute(CommandContext context, SearchSettings settings, CancellationToken cancellationToken)
    {
        MergeSearchConfig config;
        SqliteStudyStore store;
        StudyRecord study;
        if (settings.Config is not null)
        {
            config = MergeSearchConfigLoader.Load(settings.Config);
            store = new SqliteStudyStore(config.Storage);
            if (store.FindStudy(config.Name) is not null)
            {
                store.Dispose();
                throw new RecipeException(settings.Config, $"study '{config.Name}' already exists in {config.Storage}; continue it with 'seamless search --resume {config.Name} --storage {config.Storage}' or change 'name'");
            }

            study = MergeSearch.Create(store, config);
        }
        else
        {
            if (!File.Exists(settings.Storage))
            {
                throw new RecipeException(settings.Storage, "study file not found");
            }

            store = new SqliteStudyStore(settings.Storage);
            study = StudyFacts.Find(store, settings.Resume!, settings.Storage);
            config = MergeSearch.FromStudy(study.Config);
            if (settings.Budget is { } b && b > study.Config.Budget)
            {
                study = study with { Config = study.Config with { Budget = b } };
            }
        }

        using (store)
        {
            var merger = new CheckpointMerger();
            var runner = new StudyRunner(store, OptimizerFactory.Create(config.Optimizer), new CommandObjective(config.ObjectiveCommand, config.TimeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : null))
            {
                Materialise = (trial, ct) => MergeSearch.Materialise(config, trial, merger, ct),
                Repair = p => MergeSearchSpace.Repair(config, p),
                DeleteMaterialised = config.KeepBest == 0,
                AfterTrial = config.KeepBest > 0 ? trials => MergeSearch.KeepBest(config, trials) : null,
            };
            consoles.Error.MarkupLine(Markup.Escape($"Search '{config.Name}' ({config.Architecture}, {config.Models.Count} model(s) into {Path.GetFileName(config.BasePath)}, {study.Config.Space.Dimensions} parameters, {config.Optimizer}, budget {study.Config.Budget}) in {store.Path}"));
            var clock = Stopwatch.StartNew();
            runner.RunAsync(study, new LineProgress(p =>
            {
                var outcome = p.Last?.State == TrialState.Complete ? p.Last.Value!.Value.ToString("G5", CultureInfo.InvariantCulture) : $"{p.Last?.State}: {p.Last?.Error}";
                var eta = p.Finished > 0 ? TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / p.Finished * (p.Budget - p.Finished)) : TimeSpan.Zero;
                consoles.Error.MarkupLine(Markup.Escape($"trial {p.Last?.Number} ({p.Finished}/{p.Budget}) → {outcome}; best {p.Best?.ToString("G5", CultureInfo.InvariantCulture)}; ETA {eta:hh\\:mm\\:ss}"));
            }), cancellationToken).GetAwaiter().GetResult();

            var best = MergeSearch.Recommended(study.Config, store.Trials(study.Id))
                ?? throw new RecipeException(null, $"no trial completed; see 'seamless study show {config.Name} --storage {store.Path}'");
            consoles.Out.MarkupLine(Markup.Escape($"Recommended: trial {best.Number}, score {best.Value?.ToString("G5", CultureInfo.InvariantCulture)}"));
            foreach (var model in MergeSearchSpace.Recipe(config, best.Parameters).Models)
            {
                var layout = Architecture.BlockMap.LayoutOf(config.Architecture);
                consoles.Out.MarkupLine(Markup.Escape($"  {Path.GetFileName(model.Path)}: {model.Weights.Resolve(layout, new List<string>())!.ToSupermerger()}"));
            }

            consoles.Out.MarkupLine(Markup.Escape($"Write it with: seamless best {config.Name} --storage {store.Path} --out best.safetensors"));
        }

        return 0;
    }

    private sealed class LineProgress(Action<StudyProgress> report) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value) => report(value);
    }
}
