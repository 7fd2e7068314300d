using Seamless.Application.Studies;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Seamless.Cli.Infrastructure;
using Seamless.Errors;
using Seamless.Search.Objectives;
using Seamless.Search.Optimizers;
using Seamless.Search.Space;
using Seamless.Search.Studies;
using Seamless.Storage.Sqlite;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary><c>seamless optimize</c>: the optimiser on any black-box command, in a durable, resumable study.</summary>
public sealed class OptimizeCommand(CliConsoles consoles) : Command<OptimizeSettings>
{
    public override int Execute(CommandContext context, OptimizeSettings settings, CancellationToken cancellationToken)
    {
        using var store = StudyStores.Open(settings.Storage, consoles.WriteNote);
        var study = settings.Resume is not null ? Resume(store, settings) : Create(store, settings);
        var config = study.Config;
        EnsureCommandExists(config.ObjectiveCommand!);
        var runner = new StudyRunner(store, OptimizerFactory.Create(config.Optimizer), new CommandObjective(config.ObjectiveCommand!, settings.Timeout is { } t ? TimeSpan.FromSeconds(t) : null));
        consoles.Error.MarkupLine(Markup.Escape($"Study '{config.Name}' in {StudyStores.Describe(settings.Storage)}: {config.Space.Dimensions} parameters, {config.Optimizer}, budget {config.Budget}, {config.Direction}"));
        var clock = Stopwatch.StartNew();
        var progress = new Progress(p =>
        {
            var state = p.Last?.State == TrialState.Complete ? p.Last.Value!.Value.ToString("G6", CultureInfo.InvariantCulture) : $"{p.Last?.State}: {p.Last?.Error}";
            consoles.Error.MarkupLine(Markup.Escape($"trial {p.Last?.Number} ({(p.Cost == p.Finished ? p.Finished.ToString(CultureInfo.InvariantCulture) : $"{p.Finished} trials, cost {p.Cost:0.##}")}/{p.Budget}) → {state}; best {p.Best?.ToString("G6", CultureInfo.InvariantCulture)}; {clock.Elapsed.TotalSeconds:F0} s"));
        });
        runner.RunAsync(study, progress, cancellationToken).GetAwaiter().GetResult();

        var trials = store.Trials(study.Id);
        var complete = trials.Where(x => x.State == TrialState.Complete).ToList();
        if (complete.Count == 0)
        {
            throw new RecipeException(null, $"no trial of study '{config.Name}' completed; see their errors with 'seamless study show {config.Name} --storage {settings.Storage}'");
        }

        // With multi-fidelity, the answer comes from full evaluations.
        var pool = complete.Any(x => x.Fidelity >= 1) ? complete.Where(x => x.Fidelity >= 1).ToList() : complete;
        var best = config.Maximize ? pool.MaxBy(x => x.Value) : pool.MinBy(x => x.Value);
        consoles.WriteRaw(JsonSerializer.Serialize(new { study = config.Name, trial = best!.Number, value = best.Value, @params = best.Parameters }));
        return 0;
    }

    private static StudyRecord Create(IStudyStore store, OptimizeSettings settings)
    {
        var space = SearchSpace.FromJson(File.ReadAllText(settings.Space!), settings.Space);
        var name = settings.Name ?? $"optimize-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
        if (store.FindStudy(name) is not null)
        {
            throw new RecipeException(settings.Storage, $"study '{name}' already exists; continue it with --resume {name} or choose another --name");
        }

        var fidelity = settings.LowFidelity is { } low ? new FidelityPlan(low, settings.Promote) : null;
        return store.CreateStudy(new StudyConfig(name, space, settings.Optimizer, settings.Budget!.Value, settings.Seed, settings.Direction, settings.ObjectiveCommand, Fidelity: fidelity));
    }

    private static StudyRecord Resume(IStudyStore store, OptimizeSettings settings)
    {
        var study = store.FindStudy(settings.Resume!) ?? throw new RecipeException(settings.Storage, $"no study named '{settings.Resume}' (see 'seamless study list --storage {settings.Storage}')");
        return settings.Budget is { } budget && budget > study.Config.Budget ? study with { Config = study.Config with { Budget = budget } } : study;
    }

    private static void EnsureCommandExists(string command)
    {
        var program = command.TrimStart().Split([' ', '\t', ';', '|', '&'], 2)[0];
        if (program.Length == 0 || program.Contains('=', StringComparison.Ordinal))
        {
            return;
        }

        var check = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "command -v \"$0\" >/dev/null", program }, UseShellExecute = false })!;
        check.WaitForExit();
        if (check.ExitCode != 0)
        {
            throw new RecipeException(null, $"objective command '{program}' is not found on PATH (nor is it a shell builtin)");
        }
    }

    private sealed class Progress(Action<StudyProgress> report) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value) => report(value);
    }
}
