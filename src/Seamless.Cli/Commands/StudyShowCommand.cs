using Seamless.Application.Studies;
using System.Globalization;
using System.Text.Json;
using Seamless.Cli.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary><c>seamless study show NAME</c>.</summary>
public sealed class StudyShowCommand(CliConsoles consoles) : Command<StudyShowSettings>
{
    public override int Execute(CommandContext context, StudyShowSettings settings, CancellationToken cancellationToken)
    {
        using var store = StudyStores.Open(settings.Storage, consoles.WriteNote);
        var study = StudyFacts.Find(store, settings.Name, settings.Storage);
        var trials = store.Trials(study.Id);
        var (best, finished) = StudyFacts.Summarise(study.Config, trials);
        var o = consoles.Out;
        o.MarkupLine(Markup.Escape($"{study.Config.Name}: {study.Config.Optimizer}, {study.Config.Direction}, seed {study.Config.Seed}, {finished}/{study.Config.Budget} finished"));
        if (study.Config.ObjectiveCommand is not null)
        {
            o.MarkupLine(Markup.Escape($"objective: {study.Config.ObjectiveCommand}"));
        }

        var table = new Table().Border(TableBorder.Simple).AddColumns("#", "state", "value", "seconds", "attempts", "note");
        foreach (var t in trials)
        {
            table.AddRow(t.Number.ToString(CultureInfo.InvariantCulture), t.State.ToString(), t.Value?.ToString("G6", CultureInfo.InvariantCulture) ?? "—",
                t.Duration?.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) ?? "—", t.Attempts.ToString(CultureInfo.InvariantCulture), Markup.Escape(t.Error ?? string.Empty));
        }

        o.Write(table);
        if (best is not null)
        {
            o.MarkupLine(Markup.Escape($"best: trial {best.Number}, value {best.Value?.ToString("G6", CultureInfo.InvariantCulture)}, params {JsonSerializer.Serialize(best.Parameters)}"));
        }

        return 0;
    }
}
