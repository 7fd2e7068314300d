using Seamless.Application.Studies;
using System.Globalization;
using Seamless.Cli.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary><c>seamless study list</c>.</summary>
public sealed class StudyListCommand(CliConsoles consoles) : Command<StudySettings>
{
    public override int Execute(CommandContext context, StudySettings settings, CancellationToken cancellationToken)
    {
        using var store = StudyStores.Open(settings.Storage, consoles.WriteNote);
        var table = new Table().Border(TableBorder.Simple).AddColumns("study", "optimizer", "parameters", "finished / budget", "best", "created");
        foreach (var study in store.ListStudies())
        {
            var trials = store.Trials(study.Id);
            var (best, finished) = StudyFacts.Summarise(study.Config, trials);
            table.AddRow(Markup.Escape(study.Config.Name), study.Config.Optimizer, study.Config.Space.Dimensions.ToString(CultureInfo.InvariantCulture),
                $"{finished} / {study.Config.Budget}", best?.Value?.ToString("G6", CultureInfo.InvariantCulture) ?? "—", study.Created.ToString("u", CultureInfo.InvariantCulture));
        }

        consoles.Out.Write(table);
        return 0;
    }
}
