using ScottPlot;
using Seamless.Reports.Model;

namespace Seamless.Reports.Charts;

/// <summary>The report's charts as PNG bytes. Each method states the series it draws so tests can check them.</summary>
public static class ChartRenderer
{
    public const int Width = 900;
    public const int Height = 420;

    /// <summary>Observed score per trial (cheap trials grey), 95 % intervals, and the best full-fidelity score so far.</summary>
    public static byte[] Scores(ReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ChartFonts.Ensure();
        var plot = new Plot();
        var full = data.Series.Where(p => p.Fidelity >= 1).ToList();
        var cheap = data.Series.Where(p => p.Fidelity < 1).ToList();
        var withInterval = data.Series.Where(p => p.Low is not null && p.High is not null).ToList();
        if (withInterval.Count > 0)
        {
            var bars = plot.Add.ErrorBar(
                withInterval.Select(p => (double)p.Number).ToList(),
                withInterval.Select(p => (p.Low!.Value + p.High!.Value) / 2).ToList(),
                withInterval.Select(p => (p.High!.Value - p.Low!.Value) / 2).ToList());
            bars.Color = Colors.Gray.WithAlpha(0.5);
        }

        if (cheap.Count > 0)
        {
            var s = plot.Add.ScatterPoints(cheap.Select(p => (double)p.Number).ToArray(), cheap.Select(p => p.Value).ToArray());
            s.Color = Colors.Gray;
            s.LegendText = "cheap trial";
        }

        if (full.Count > 0)
        {
            var s = plot.Add.ScatterPoints(full.Select(p => (double)p.Number).ToArray(), full.Select(p => p.Value).ToArray());
            s.Color = Colors.C0;
            s.LegendText = "trial";
            var best = plot.Add.ScatterLine(full.Select(p => (double)p.Number).ToArray(), full.Select(p => p.BestSoFar).ToArray());
            best.ConnectStyle = ConnectStyle.StepHorizontal;
            best.Color = Colors.C1;
            best.LineWidth = 2;
            best.LegendText = "best observed so far";
        }

        if (data.Incumbents.Count > 0)
        {
            var xs = data.Incumbents.Select(p => (double)p.Trial).ToArray();
            var band = plot.Add.FillY(xs, data.Incumbents.Select(p => p.Low).ToArray(), data.Incumbents.Select(p => p.High).ToArray());
            band.FillColor = Colors.C2.WithAlpha(0.2);
            band.LineColor = Colors.C2.WithAlpha(0.2);
            band.LegendText = "95 % interval";
            var mean = plot.Add.ScatterLine(xs, data.Incumbents.Select(p => p.Mean).ToArray());
            mean.Color = Colors.C2;
            mean.LineWidth = 2;
            mean.LegendText = "best so far by posterior mean";
        }

        if (data.Recommended?.Value is { } rv)
        {
            var r = plot.Add.ScatterPoints(new[] { (double)data.Recommended.Number }, new[] { rv });
            r.MarkerSize = 12;
            r.MarkerShape = MarkerShape.OpenCircle;
            r.Color = Colors.Red;
            r.LegendText = "recommended";
        }

        plot.Title($"{data.StudyName}: score per trial");
        plot.Axes.Bottom.Label.Text = "trial";
        plot.Axes.Left.Label.Text = "score";
        // Beside the data, not over it: inside, the legend covered the last trials' points.
        plot.ShowLegend(Edge.Right);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>The recommended recipe's weight per model (rows) and block (columns).</summary>
    public static byte[] Heatmap(ReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ChartFonts.Ensure();
        var plot = new Plot();
        if (data.Heatmap is { } grid)
        {
            var rows = grid.GetLength(0);
            var cols = grid.GetLength(1);
            var hm = plot.Add.Heatmap(grid);
            hm.Colormap = new ScottPlot.Colormaps.Viridis();
            hm.Extent = new CoordinateRect(-0.5, cols - 0.5, -0.5, rows - 0.5);
            plot.Add.ColorBar(hm);
            plot.Axes.Bottom.SetTicks(Enumerable.Range(0, cols).Select(i => (double)i).ToArray(), data.HeatmapBlocks.ToArray());

            // 26 horizontal block names overlap (OUT00OUT01…) at any usable width: upright, and room made for them.
            plot.Axes.Bottom.TickLabelStyle.FontSize = 11;
            plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            plot.Axes.Bottom.MinimumSize = LabelRoom(data.HeatmapBlocks, 11);
            plot.Axes.SetLimits(-0.5, cols - 0.5, -0.5, rows - 0.5);
            plot.Axes.Left.SetTicks(Enumerable.Range(0, rows).Select(i => (double)(rows - 1 - i)).ToArray(), data.HeatmapModels.ToArray());
        }

        plot.Title("recommended recipe: weight per block and model");
        return plot.GetImageBytes(Width, Math.Max(300, 190 + (40 * data.HeatmapModels.Count)), ImageFormat.Png);
    }

    /// <summary>|Spearman ρ| of the 20 most influential parameters.</summary>
    public static byte[] Sensitivity(ReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ChartFonts.Ensure();
        var plot = new Plot();
        var top = data.Sensitivity.Take(20).ToList();
        if (top.Count > 0)
        {
            plot.Add.Bars(top.Select(s => s.Importance).ToArray());
            plot.Axes.Bottom.SetTicks(Enumerable.Range(0, top.Count).Select(i => (double)i).ToArray(), top.Select(s => s.Parameter).ToArray());
            plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;

            // ScottPlot does not measure rotated labels: without room they were cut to their first word.
            plot.Axes.Bottom.MinimumSize = LabelRoom(top.Select(s => s.Parameter), plot.Axes.Bottom.TickLabelStyle.FontSize);
            plot.Axes.Margins(bottom: 0);
        }

        plot.Title("parameter sensitivity: |Spearman ρ| with the score");
        return plot.GetImageBytes(Width, Height + 120, ImageFormat.Png);
    }

    /// <summary>Pixels an upright label of the longest text needs (DejaVu Sans averages ~0.62 em per character).</summary>
    private static float LabelRoom(IEnumerable<string> labels, float fontSize) =>
        12 + (0.62f * fontSize * labels.Select(l => l.Length).DefaultIfEmpty(0).Max());
}
