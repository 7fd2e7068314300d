using System.Net;
using System.Text;
using Seamless.Reports.Model;

namespace Seamless.Reports.Writers;

/// <summary>
/// One self-contained HTML file: the charts as inline SVG (the same <see cref="Charts.Svg"/> charts the dashboard
/// serves, from the same <see cref="ReportData"/>), image grids as data URIs, tables inline, no scripts, no network.
/// The PNG charts are for <c>report.md</c>.
/// </summary>
public static class HtmlReport
{
    public static string Render(ReportData data, IReadOnlyList<(string Caption, byte[] Png)> grids)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(grids);
        var h = new StringBuilder();
        string E(string s) => WebUtility.HtmlEncode(s);
        h.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(data.StudyName)).Append(" — Seamless report</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:1.5em 2em;color:#222}svg.chart{max-width:1400px;display:block}table{border-collapse:collapse;margin:1em 0;font-size:14px}")
            .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}img{max-width:100%}")
            .Append(".pos{color:#0a7d22}.neg{color:#b00020}.muted{color:#777}</style></head><body>");
        h.Append("<h1>").Append(E(data.StudyName)).Append("</h1><p class=\"muted\">Study in ").Append(E(data.Storage)).Append(", ")
            .Append(data.Trials.Count).Append(" trials (").Append(data.Series.Count).Append(" complete, ").Append(data.Failed).Append(" failed, ")
            .Append(data.Pruned).Append(" pruned), optimiser ").Append(E(data.Config.Optimizer)).Append(", budget ").Append(data.Config.Budget)
            .Append(". Generated ").Append(data.Generated.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture)).Append(".</p>");

        if (data.Recommended is { } best)
        {
            h.Append("<h2>Recommendation</h2><p>Trial ").Append(best.Number).Append(", score ").Append(Format.Score(best.Value))
                .Append(best.IntervalLow is not null ? $" (95 % interval {Format.Interval(best.IntervalLow, best.IntervalHigh)})" : "")
                .Append(". Chosen by posterior mean among the best trials, not as the luckiest observation. ")
                .Append(EstimateText(data)).Append(HeldOutText(data)).Append("</p>");
        }

        foreach (var (name, svg) in SvgCharts(data))
        {
            h.Append("<h2>").Append(E(Title(name))).Append("</h2>").Append(svg);
        }

        if (data.Categories.Count > 0)
        {
            h.Append("<h2>Accuracy per category</h2><p class=\"muted\">The recommended trial against the references the study measured; Δ% is against the references' average.</p><table><tr><th class=\"l\">category</th><th>recommended</th>");
            foreach (var r in data.ReferenceNames)
            {
                h.Append("<th>").Append(E(r)).Append("</th>");
            }

            h.Append("<th>average</th><th>Δ%</th></tr>");
            foreach (var row in data.Categories)
            {
                var cls = row.DeltaPercent is > 0 ? "pos" : row.DeltaPercent is < 0 ? "neg" : "";
                h.Append("<tr><td class=\"l\">").Append(E(row.Category)).Append("</td><td>").Append(Format.Cell(row.Category, row.Best)).Append("</td>");
                foreach (var v in row.References)
                {
                    h.Append("<td>").Append(Format.Cell(row.Category, v)).Append("</td>");
                }

                h.Append("<td>").Append(Format.Cell(row.Category, row.Average)).Append("</td><td class=\"").Append(cls).Append("\">").Append(Format.Delta(row.DeltaPercent)).Append("</td></tr>");
            }

            h.Append("</table>");
        }

        if (data.HeldOut?.ByTagCount is { Count: > 0 } byCount)
        {
            h.Append("<h2>Accuracy by tags per prompt</h2><p class=\"muted\">The recommended trial on prompts of n tags (a few prompts each): how its accuracy falls as prompts grow.</p><table><tr><th>tags</th><th>accuracy</th></tr>");
            foreach (var (n, v) in byCount)
            {
                h.Append("<tr><td>").Append(n).Append("</td><td>").Append(Format.Percent(v)).Append("</td></tr>");
            }

            h.Append("</table>");
        }

        foreach (var (caption, png) in grids)
        {
            h.Append("<h2>").Append(E(caption)).Append("</h2><img alt=\"").Append(E(caption)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append("\">");
        }

        h.Append("<h2>Trials</h2><table><tr><th>#</th><th class=\"l\">state</th><th>score</th><th>interval</th><th>fidelity</th><th>time</th><th class=\"l\">parameters / error</th></tr>");
        foreach (var t in data.Trials)
        {
            var metrics = t.Metrics is { Count: > 0 } ms ? string.Join(", ", ms.Select(kv => $"{kv.Key} {Format.Score(kv.Value)}")) + "; " : "";
            var detail = t.Error ?? metrics + string.Join(", ", t.Parameters.Select(p => $"{p.Key}={Format.Weight(p.Value)}"));
            h.Append("<tr><td>").Append(t.Number).Append("</td><td class=\"l\">").Append(t.State.ToString().ToLowerInvariant()).Append("</td><td>").Append(Format.Score(t.Value))
                .Append("</td><td>").Append(Format.Interval(t.IntervalLow, t.IntervalHigh)).Append("</td><td>").Append(Format.Weight(t.Fidelity))
                .Append("</td><td>").Append(Format.Duration(t.Duration)).Append("</td><td class=\"l\">").Append(E(detail)).Append("</td></tr>");
        }

        h.Append("</table></body></html>");
        return h.ToString();
    }

    /// <summary>The charts both the report and the dashboard draw, as inline SVG, by name.</summary>
    public static IEnumerable<(string Name, string Svg)> SvgCharts(ReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        yield return ("scores", Seamless.Reports.Charts.Svg.SvgScoresChart.Render(data));
        if (data.Heatmap is { } grid)
        {
            yield return ("recipe", Seamless.Reports.Charts.Svg.SvgHeatmapChart.Render("recommended recipe: weight per block and model", data.HeatmapModels, data.HeatmapBlocks, grid));
        }

        if (data.Sensitivity.Count > 0)
        {
            yield return ("sensitivity", Seamless.Reports.Charts.Svg.SvgSensitivityChart.Render(data.Sensitivity));
        }
    }

    /// <summary>The model's estimate of the recommendation's true score (the end of the posterior-mean curve).</summary>
    internal static string EstimateText(ReportData data) =>
        data.FinalEstimate is { } e
            ? $"The model estimates its true score at {Format.Score(e.Mean)} (95 % interval {Format.Interval(e.Low, e.High)}). "
            : "";

    internal static string HeldOutText(ReportData data) =>
        data.HeldOut is { } h
            ? $"Held-out check: trial {h.Trial} scores {Format.Score(h.Value)} (95 % interval {Format.Interval(h.Low, h.High)}, {h.Prompts} prompts never used by the search) against {Format.Score(h.SearchValue)} in the search; the difference is the search's optimism."
            : "Held-out score: not measured in this study.";

    internal static string Title(string chart) => chart switch
    {
        "scores" => "Score per trial",
        "recipe" => "Recommended recipe (heat map)",
        "sensitivity" => "Parameter sensitivity",
        _ => chart,
    };
}
