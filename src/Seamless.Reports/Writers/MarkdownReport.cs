using System.Text;
using Seamless.Reports.Model;

namespace Seamless.Reports.Writers;

/// <summary>The report as Markdown, with the charts referenced as PNG files beside it.</summary>
public static class MarkdownReport
{
    public static string Render(ReportData data, IReadOnlyList<string> chartFiles)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(chartFiles);
        var m = new StringBuilder();
        m.Append("# ").Append(data.StudyName).Append("\n\n");
        m.Append($"{data.Trials.Count} trials ({data.Series.Count} complete, {data.Failed} failed, {data.Pruned} pruned), optimiser {data.Config.Optimizer}, budget {data.Config.Budget}, study in `{data.Storage}`.\n\n");
        if (data.Recommended is { } best)
        {
            m.Append($"**Recommended:** trial {best.Number}, score {Format.Score(best.Value)}");
            m.Append(best.IntervalLow is not null ? $" (95 % interval {Format.Interval(best.IntervalLow, best.IntervalHigh)})" : "").Append(". ").Append(HtmlReport.EstimateText(data)).Append(HtmlReport.HeldOutText(data)).Append("\n\n");
        }

        foreach (var file in chartFiles)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            m.Append("## ").Append(HtmlReport.Title(name)).Append("\n\n![").Append(name).Append("](").Append(file).Append(")\n\n");
        }

        if (data.Categories.Count > 0)
        {
            m.Append("## Accuracy per category\n\n| category | recommended | ").AppendJoin(" | ", data.ReferenceNames).Append(" | average | Δ% |\n|---|---:|")
                .Append(string.Concat(data.ReferenceNames.Select(_ => "---:|"))).Append("---:|---:|\n");
            foreach (var row in data.Categories)
            {
                m.Append("| ").Append(row.Category).Append(" | ").Append(Format.Cell(row.Category, row.Best)).Append(" | ")
                    .AppendJoin(" | ", row.References.Select(v => Format.Cell(row.Category, v))).Append(" | ").Append(Format.Cell(row.Category, row.Average)).Append(" | ").Append(Format.Delta(row.DeltaPercent)).Append(" |\n");
            }

            m.Append('\n');
        }

        if (data.HeldOut?.ByTagCount is { Count: > 0 } byCount)
        {
            m.Append("## Accuracy by tags per prompt\n\n| tags | accuracy |\n|---:|---:|\n");
            foreach (var (n, v) in byCount)
            {
                m.Append($"| {n} | {Format.Percent(v)} |\n");
            }

            m.Append('\n');
        }

        if (data.Heatmap is { } grid)
        {
            m.Append("## Recommended recipe\n\n| model | ").AppendJoin(" | ", data.HeatmapBlocks).Append(" |\n|---|").Append(string.Concat(data.HeatmapBlocks.Select(_ => "---:|"))).Append('\n');
            for (var i = 0; i < data.HeatmapModels.Count; i++)
            {
                m.Append("| ").Append(data.HeatmapModels[i]).Append(" | ").AppendJoin(" | ", Enumerable.Range(0, data.HeatmapBlocks.Count).Select(b => Format.Weight(grid[i, b]))).Append(" |\n");
            }

            m.Append('\n');
        }

        m.Append("## Trials\n\n| # | state | score | interval | fidelity | time |\n|---:|---|---:|---|---:|---:|\n");
        foreach (var t in data.Trials)
        {
            m.Append($"| {t.Number} | {t.State.ToString().ToLowerInvariant()} | {Format.Score(t.Value)} | {Format.Interval(t.IntervalLow, t.IntervalHigh)} | {Format.Weight(t.Fidelity)} | {Format.Duration(t.Duration)} |\n");
        }

        return m.ToString();
    }
}
