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

    /// <summary>The rounds chart a rounds search leaves in its last round's report folder.</summary>
    internal const string ScoresByRound = "scores-by-round.png";

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
        var images = grids.Select(g => (Path.GetFileNameWithoutExtension(g), File.ReadAllBytes(g))).ToList();
        if (StudyExecution.SampleGrid([($"trial {data.Recommended?.Number}", folder)]) is { } own)
        {
            images.Insert(0, ("samples of the recommended trial (held-out prompts)", own));
        }

        var byRound = Path.Combine(folder, "samples-by-round.png");
        if (File.Exists(byRound))
        {
            images.Insert(0, ("samples by round (held-out prompts, same seeds)", File.ReadAllBytes(byRound)));
        }

        var scoresByRound = Path.Combine(folder, ScoresByRound);
        if (File.Exists(scoresByRound))
        {
            images.Insert(0, ("score across rounds (best by posterior mean per round)", File.ReadAllBytes(scoresByRound)));
        }

        return ReportWriter.Write(data, folder, images);
    }
}
