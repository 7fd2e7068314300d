using System.Globalization;
using Seamless.Reports.Model;

namespace Seamless.Reports.Charts.Svg;

/// <summary>
/// Score per trial as SVG: full-fidelity trials (blue), cheap trials (grey), the best observed so far (orange
/// steps), the best so far by posterior mean with its 95 % band (green) and the recommended trial (red ring). Up to
/// <see cref="MaxMarkers"/> trials each get a circle with a tooltip; beyond that one path draws them all, so a
/// 10 000-trial study stays a small document.
/// </summary>
public static class SvgScoresChart
{
    public const int MaxMarkers = 2000;
    private const double W = 960, H = 360, Left = 56, Right = 16, Top = 30, Bottom = 36;

    public static string Render(ReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var series = data.Series;
        var svg = new SvgCanvas("scores", W, H, new Dictionary<string, string> { ["points"] = series.Count.ToString(CultureInfo.InvariantCulture) });
        svg.Text(Left, 18, $"{data.StudyName}: score per trial", extra: "font-weight=\"600\"");
        if (series.Count == 0)
        {
            svg.Text(W / 2, H / 2, "no finished trial yet", "middle", "fill=\"#777\"");
            return svg.ToString();
        }

        var ys = series.Select(p => p.Value).Concat(series.Where(p => p.Low is not null).Select(p => p.Low!.Value)).Concat(series.Where(p => p.High is not null).Select(p => p.High!.Value))
            .Concat(data.Incumbents.SelectMany(p => new[] { p.Low, p.High })).Where(double.IsFinite).ToList();
        var (y0, y1) = (ys.Min(), ys.Max());
        var pad = y1 > y0 ? 0.05 * (y1 - y0) : 0.01;
        (y0, y1) = (y0 - pad, y1 + pad);
        var (x0, x1) = (series.Min(p => p.Number) - 0.5, series.Max(p => p.Number) + 0.5);
        double X(double v) => Left + ((v - x0) / (x1 - x0) * (W - Left - Right));
        double Y(double v) => H - Bottom - ((v - y0) / (y1 - y0) * (H - Top - Bottom));

        foreach (var t in SvgCanvas.Ticks(y0, y1))
        {
            svg.Line(Left, Y(t), W - Right, Y(t), "#eee").Text(Left - 6, Y(t) + 4, t.ToString("0.###", CultureInfo.InvariantCulture), "end");
        }

        foreach (var t in SvgCanvas.Ticks(x0, x1, 8).Where(t => t == Math.Floor(t)))
        {
            svg.Line(X(t), H - Bottom, X(t), H - Bottom + 4, "#999").Text(X(t), H - Bottom + 16, t.ToString("0", CultureInfo.InvariantCulture), "middle");
        }

        svg.Line(Left, H - Bottom, W - Right, H - Bottom, "#999").Line(Left, Top, Left, H - Bottom, "#999")
            .Text((Left + W - Right) / 2, H - 4, "trial", "middle", "fill=\"#555\"");

        if (data.Incumbents.Count > 0)
        {
            var band = data.Incumbents.Select(p => (X(p.Trial), Y(p.High))).Concat(data.Incumbents.Reverse().Select(p => (X(p.Trial), Y(p.Low))));
            svg.Raw("<polygon class=\"band\" fill=\"#2ca02c\" fill-opacity=\"0.15\" points=\"" + string.Join(' ', band.Select(p => SvgCanvas.N(p.Item1) + "," + SvgCanvas.N(p.Item2))) + "\"/>");
            svg.Polyline(data.Incumbents.Select(p => (X(p.Trial), Y(p.Mean))), "#2ca02c", 2, "incumbent");
        }

        var full = series.Where(p => p.Fidelity >= 1).ToList();
        if (full.Count > 0)
        {
            var steps = new List<(double, double)>();
            foreach (var p in full.Where(p => double.IsFinite(p.BestSoFar)))
            {
                if (steps.Count > 0)
                {
                    steps.Add((X(p.Number), steps[^1].Item2));
                }

                steps.Add((X(p.Number), Y(p.BestSoFar)));
            }

            svg.Polyline(steps, "#ff7f0e", 1.5, "best");
        }

        Points(svg, series.Where(p => p.Fidelity < 1).ToList(), "#999", "cheap", X, Y);
        Points(svg, full, "#1f77b4", "trial", X, Y);
        if (data.Recommended is { Value: { } rv } rec)
        {
            svg.Raw($"<circle class=\"recommended\" cx=\"{SvgCanvas.N(X(rec.Number))}\" cy=\"{SvgCanvas.N(Y(rv))}\" r=\"7\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\"><title>recommended: trial {rec.Number}</title></circle>");
        }

        var legend = new (string Color, string Label)[] { ("#1f77b4", "trial"), ("#999", "cheap trial"), ("#ff7f0e", "best observed so far"), ("#2ca02c", "best by posterior mean (95 % band)"), ("#d62728", "recommended") };
        var lx = W - Right;
        foreach (var (color, label) in legend.Reverse())
        {
            lx -= SvgCanvas.TextWidth(label, 11) + 24;
            svg.Rect(lx, 10, 10, 10, color).Text(lx + 14, 19, label, extra: "font-size=\"11\"");
        }

        return svg.ToString();
    }

    private static void Points(SvgCanvas svg, List<TrialPoint> points, string color, string cls, Func<double, double> x, Func<double, double> y)
    {
        if (points.Count == 0)
        {
            return;
        }

        if (points.Count <= MaxMarkers)
        {
            foreach (var p in points)
            {
                if (p.Low is { } lo && p.High is { } hi)
                {
                    svg.Line(x(p.Number), y(lo), x(p.Number), y(hi), "#bbb");
                }

                svg.Raw($"<circle class=\"{cls}\" cx=\"{SvgCanvas.N(x(p.Number))}\" cy=\"{SvgCanvas.N(y(p.Value))}\" r=\"3\" fill=\"{color}\"><title>trial {p.Number}: {p.Value.ToString("0.0000", CultureInfo.InvariantCulture)}</title></circle>");
            }

            return;
        }

        // Zero-length segments with round caps: one element however many trials.
        svg.Raw($"<path class=\"{cls}\" stroke=\"{color}\" stroke-width=\"5\" stroke-linecap=\"round\" fill=\"none\" d=\"" +
            string.Concat(points.Select(p => "M" + SvgCanvas.N(x(p.Number)) + " " + SvgCanvas.N(y(p.Value)) + "h0")) + "\"/>");
    }
}
