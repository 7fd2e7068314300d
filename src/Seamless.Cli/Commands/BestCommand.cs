using Seamless.Application.Studies;
using System.Globalization;
using Seamless.Cli.Infrastructure;
using Seamless.Errors;
using Seamless.Merging;
using Seamless.Search.Merges;
using Seamless.Storage.Sqlite;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary><c>seamless best STUDY --out FILE</c>: re-materialises the recommended recipe of a merge search.</summary>
public sealed class BestCommand(CliConsoles consoles) : Command<BestSettings>
{
    public override int Execute(CommandContext context, BestSettings settings, CancellationToken cancellationToken)
    {
        using var store = StudyStores.Open(settings.Storage, consoles.WriteNote);
        var study = StudyFacts.Find(store, settings.Name, settings.Storage);
        var config = MergeSearch.FromStudy(study.Config);
        var best = MergeSearch.Recommended(study.Config, store.Trials(study.Id))
            ?? throw new RecipeException(settings.Storage, $"study '{settings.Name}' has no completed trial yet");
        var result = new CheckpointMerger().Merge(MergeSearchSpace.Recipe(config, best.Parameters), settings.Out!, null, cancellationToken);
        consoles.Out.MarkupLine(Markup.Escape($"Wrote {result.OutputPath}: trial {best.Number} of '{settings.Name}' (score {best.Value?.ToString("G5", CultureInfo.InvariantCulture)}), recipe in its metadata"));
        return 0;
    }
}
