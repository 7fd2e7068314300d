using Seamless.Cli.Infrastructure;
using Seamless.Errors;
using Seamless.Reports.Model;
using Seamless.Reports.Writers;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary><c>seamless report STUDY</c>: the HTML/Markdown report with charts, from the study alone.</summary>
public sealed class ReportCommand(CliConsoles consoles) : Command<ReportSettings>
{
    public override int Execute(CommandContext context, ReportSettings settings, CancellationToken cancellationToken)
    {
        var files = Write(settings.Storage, settings.Name, settings.Out ?? $"{settings.Name}-report", settings.Grids);
        consoles.Out.MarkupLine(Markup.Escape($"Wrote {Path.GetFullPath(files.Html)} (and report.md, {files.Charts.Count} charts)"));
        return 0;
    }

    /// <summary>Builds and writes a study's report; also called after a search finishes.</summary>
    internal static ReportFiles Write(string storage, string name, string folder, IReadOnlyList<string> grids)
    {
        if (!StudyStores.Exists(storage))
        {
            throw new RecipeException(storage, "study file not found");
        }

        using var store = StudyStores.Open(storage);
        var study = store.FindStudy(name) ?? throw new RecipeException(storage, $"no study named '{name}' (see 'seamless study list --storage {storage}')");
        var data = ReportBuilder.Build(study, store.Trials(study.Id), StudyStores.Describe(storage), DateTimeOffset.UtcNow) with { HeldOut = HeldOutCheck.TryLoad(folder) };
        return ReportWriter.Write(data, folder, grids.Select(g => (Path.GetFileNameWithoutExtension(g), File.ReadAllBytes(g))).ToList());
    }
}
