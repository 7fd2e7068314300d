using Seamless.Cli.Infrastructure;
using Seamless.Application.Reporting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary><c>seamless report STUDY</c>: the HTML/Markdown report with charts, from the study alone.</summary>
public sealed class ReportCommand(CliConsoles consoles) : Command<ReportSettings>
{
    public override int Execute(CommandContext context, ReportSettings settings, CancellationToken cancellationToken)
    {
        var files = StudyReports.Write(settings.Storage, settings.Name, settings.Out ?? $"{settings.Name}-report", settings.Grids);
        consoles.Out.MarkupLine(Markup.Escape($"Wrote {Path.GetFullPath(files.Html)} (and report.md, {files.Charts.Count} charts)"));
        return 0;
    }
}
