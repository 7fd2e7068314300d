using Seamless.Reports.Charts;
using Seamless.Reports.Model;

namespace Seamless.Reports.Writers;

/// <summary>
/// Writes <c>report.html</c> (self-contained), <c>report.md</c> and <c>charts/*.png</c> into a folder, each through a
/// temp file and a rename, so a report being rewritten during a search is never seen half-written.
/// </summary>
public static class ReportWriter
{
    public static ReportFiles Write(ReportData data, string folder, IReadOnlyList<(string Caption, byte[] Png)>? grids = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        grids ??= [];
        var chartsDir = Path.Combine(folder, "charts");
        Directory.CreateDirectory(chartsDir);
        var charts = new Dictionary<string, byte[]> { ["scores"] = ChartRenderer.Scores(data) };
        if (data.Heatmap is not null)
        {
            charts["recipe"] = ChartRenderer.Heatmap(data);
        }

        if (data.Sensitivity.Count > 0)
        {
            charts["sensitivity"] = ChartRenderer.Sensitivity(data);
        }

        var chartFiles = new List<string>();
        foreach (var (name, png) in charts)
        {
            var path = Path.Combine(chartsDir, name + ".png");
            Seamless.IO.AtomicFile.WriteAllBytes(path, png);
            chartFiles.Add(path);
        }

        var html = Path.Combine(folder, "report.html");
        Seamless.IO.AtomicFile.WriteAllBytes(html, System.Text.Encoding.UTF8.GetBytes(HtmlReport.Render(data, grids)));
        var md = Path.Combine(folder, "report.md");
        Seamless.IO.AtomicFile.WriteAllBytes(md, System.Text.Encoding.UTF8.GetBytes(MarkdownReport.Render(data, chartFiles.Select(f => Path.Combine("charts", Path.GetFileName(f))).ToList())));
        return new ReportFiles(html, md, chartFiles);
    }
}
