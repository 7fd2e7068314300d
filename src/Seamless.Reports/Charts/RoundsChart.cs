using ScottPlot;
using Seamless.Reports.Model;

namespace Seamless.Reports.Charts;

/// <summary>
/// A rounds search on one axis: each round's trials laid end to end (trial counts add up across rounds), its
/// observed scores, and its best so far by posterior mean with the 95 % band, one colour per round, with the rounds
/// separated by vertical lines. Shows both the progress within a round and whether later rounds still gain.
/// </summary>
public static class RoundsChart
{
    public sealed record Round(string Label, IReadOnlyList<TrialPoint> Series, IReadOnlyList<IncumbentPoint> Incumbents);

    public static byte[] Render(IReadOnlyList<Round> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        ChartFonts.Ensure();
        var plot = new Plot();
        var offset = 0;
        for (var r = 0; r < rounds.Count; r++)
        {
            var round = rounds[r];
            var colour = plot.Add.Palette.GetColor(r);
            if (round.Series.Count > 0)
            {
                var points = plot.Add.ScatterPoints(round.Series.Select(p => (double)(offset + p.Number)).ToArray(), round.Series.Select(p => p.Value).ToArray());
                points.Color = colour.WithAlpha(0.5);
            }

            if (round.Incumbents.Count > 0)
            {
                var xs = round.Incumbents.Select(p => (double)(offset + p.Trial)).ToArray();
                var band = plot.Add.FillY(xs, round.Incumbents.Select(p => p.Low).ToArray(), round.Incumbents.Select(p => p.High).ToArray());
                band.FillColor = colour.WithAlpha(0.15);
                band.LineColor = colour.WithAlpha(0.15);
                var mean = plot.Add.ScatterLine(xs, round.Incumbents.Select(p => p.Mean).ToArray());
                mean.Color = colour;
                mean.LineWidth = 2;
                mean.LegendText = $"{round.Label}: best by posterior mean";
            }

            var width = round.Series.Count == 0 ? 1 : round.Series.Max(p => p.Number) + 1;
            offset += width;
            if (r < rounds.Count - 1)
            {
                var line = plot.Add.VerticalLine(offset - 0.5);
                line.Color = Colors.Gray;
                line.LinePattern = LinePattern.Dashed;
            }
        }

        plot.Title("score across rounds");
        plot.Axes.Bottom.Label.Text = "trial (rounds end to end)";
        plot.Axes.Left.Label.Text = "score";
        plot.ShowLegend(Alignment.LowerRight);
        return plot.GetImageBytes(ChartRenderer.Width, ChartRenderer.Height, ImageFormat.Png);
    }
}
