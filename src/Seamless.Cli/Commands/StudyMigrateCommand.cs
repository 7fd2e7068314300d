using Seamless.Application.Studies;
using Seamless.Cli.Infrastructure;
using Seamless.Errors;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary><c>seamless study migrate [NAME] --storage FROM --to TO</c>: copies studies with every trial, e.g. SQLite → PostgreSQL.</summary>
public sealed class StudyMigrateCommand(CliConsoles consoles) : Command<StudyMigrateSettings>
{
    public override int Execute(CommandContext context, StudyMigrateSettings settings, CancellationToken cancellationToken)
    {
        using var source = StudyStores.Open(settings.Storage, consoles.WriteNote);
        using var target = StudyStores.Open(settings.To!, consoles.WriteNote);
        var studies = settings.Name is null ? source.ListStudies() : [StudyFacts.Find(source, settings.Name, settings.Storage)];
        var clashes = studies.Where(s => target.FindStudy(s.Config.Name) is not null).Select(s => s.Config.Name).ToList();
        if (clashes.Count > 0)
        {
            throw new RecipeException(settings.To, $"already has {string.Join(", ", clashes)}; nothing was copied");
        }

        foreach (var study in studies)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var trials = source.Trials(study.Id);
            target.Import(study.Config, trials);
            consoles.Out.MarkupLine(Markup.Escape($"Copied '{study.Config.Name}' ({trials.Count} trials) to {StudyStores.Describe(settings.To!)}"));
        }

        return 0;
    }
}
