using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Seamless.Reports.Charts.Svg;
using Seamless.Reports.Model;
using Seamless.Tests.Model;

namespace Seamless.Tests.Charts;

public sealed class SvgChartsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Scores_RecordedStudy_OneMarkerPerFinishedTrialInsideThePlot()
    {
        var (study, trials) = ReportBuilderTests.Recorded(_temp.File("s.db"));
        var data = ReportBuilder.Build(study, trials, "s.db", DateTimeOffset.UnixEpoch);
        var svg = XDocument.Parse(SvgScoresChart.Render(data));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var circles = svg.Descendants(ns + "circle").ToList();
        Assert.Equal(10, circles.Count(c => (string?)c.Attribute("class") == "trial"));
        Assert.Equal(1, circles.Count(c => (string?)c.Attribute("class") == "cheap"));
        Assert.Single(circles, c => (string?)c.Attribute("class") == "recommended");

        // The best trial is drawn highest (smallest y), and every marker lies inside the view box.
        var best = data.Series.Where(p => p.Fidelity >= 1).MaxBy(p => p.Value)!;
        var top = circles.Where(c => (string?)c.Attribute("class") == "trial").MinBy(c => double.Parse((string)c.Attribute("cy")!, CultureInfo.InvariantCulture))!;
        Assert.Contains($"trial {best.Number}:", top.Value, StringComparison.Ordinal);
        Assert.All(circles, c => Assert.InRange(double.Parse((string)c.Attribute("cy")!, CultureInfo.InvariantCulture), 0, 360));
    }

    [Fact]
    public void Scores_ManyTrials_OnePathInsteadOfACircleEach()
    {
        var series = Enumerable.Range(0, SvgScoresChart.MaxMarkers + 1).Select(i => new TrialPoint(i, i % 7 / 10.0, null, null, 1, 0.6)).ToList();
        var (study, trials) = ReportBuilderTests.Recorded(_temp.File("s.db"), 4);
        var data = ReportBuilder.Build(study, trials, "s.db", DateTimeOffset.UnixEpoch) with { Series = series, Recommended = null };
        var svg = SvgScoresChart.Render(data);
        Assert.DoesNotContain("class=\"trial\" cx", svg, StringComparison.Ordinal);
        Assert.Equal(series.Count, Regex.Count(svg, "h0"));
        Assert.Contains($"data-points=\"{series.Count}\"", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Sensitivity_LongNames_WholeLabelsAndBarsOrdered()
    {
        var names = new[] { ("very-long-model-name-v3:OUT11", 0.9), ("another_model:IN04", 0.5), ("m:M00", 0.1) };
        var svg = XDocument.Parse(SvgSensitivityChart.Render(names));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var labels = svg.Descendants(ns + "text").Where(t => (string?)t.Attribute("class") == "label").Select(t => t.Value).ToList();
        Assert.Equal(names.Select(n => n.Item1), labels);

        // Labels end where the bars start, and the bars leave room for the longest label.
        var bars = svg.Descendants(ns + "rect").Where(r => (string?)r.Attribute("class") == "bar").ToList();
        var x = bars.Select(b => double.Parse((string)b.Attribute("x")!, CultureInfo.InvariantCulture)).Distinct().Single();
        Assert.True(x >= SvgCanvasWidth("very-long-model-name-v3:OUT11"), $"bars start at {x}");
        var widths = bars.Select(b => double.Parse((string)b.Attribute("width")!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(widths.OrderByDescending(w => w), widths);
    }

    [Fact]
    public void Heatmap_HostileModelName_EscapedAndOneCellPerWeight()
    {
        var blocks = Enumerable.Range(0, 26).Select(i => i == 0 ? "BASE" : $"B{i:00}").ToList();
        var grid = new double[2, 26];
        grid[0, 3] = 0.25;
        grid[1, 5] = -0.1;
        var svg = SvgHeatmapChart.Render("t", ["<img src=x onerror=alert(1)>.safetensors", "b"], blocks, grid);
        Assert.DoesNotContain("<img", svg, StringComparison.Ordinal);
        var doc = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var cells = doc.Descendants(ns + "rect").Where(r => (string?)r.Attribute("class") == "cell").ToList();
        Assert.Equal(52, cells.Count);
        Assert.Contains("0.25", cells[3].Value, StringComparison.Ordinal);
        static int[] Rgb(XElement cell) => ((string)cell.Attribute("fill")!)[4..^1].Split(',').Select(int.Parse).ToArray();
        Assert.True(Rgb(cells[26 + 5]) is [var r, var g, _] && r > g, "negative weights are red");
        Assert.True(Rgb(cells[3]) is [var r2, _, var b2] && b2 > r2, "positive weights are blue");
        Assert.Equal([255, 255, 255], Rgb(cells[0]));

        // Upright block labels: neighbours are at least a font size apart, so 26 names never overlap.
        var xs = doc.Descendants(ns + "text").Where(t => ((string?)t.Attribute("transform"))?.StartsWith("rotate(-90", StringComparison.Ordinal) == true)
            .Select(t => double.Parse((string)t.Attribute("x")!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(26, xs.Count);
        Assert.All(xs.Zip(xs.Skip(1)), p => Assert.True(p.Second - p.First >= 11));
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.41, 0.43)]
    [InlineData(-5.0, 1234.0)]
    [InlineData(-0.5, 13.5)]
    public void Ticks_Range_RoundStepsCoveringIt(double lo, double hi)
    {
        var ticks = SvgCanvasTicks(lo, hi);
        Assert.InRange(ticks.Count, 3, 11);
        Assert.All(ticks, t => Assert.InRange(t, lo - 1e-12, hi + 1e-12));
        var steps = ticks.Zip(ticks.Skip(1), (a, b) => b - a).ToList();
        Assert.All(steps, s => Assert.Equal(steps[0], s, 9));
        var mantissa = steps[0] / Math.Pow(10, Math.Floor(Math.Log10(steps[0])));
        Assert.Contains(Math.Round(mantissa, 6), new[] { 1.0, 2.0, 5.0 });
        Assert.All(ticks, t => Assert.False(t == 0 && double.IsNegative(t), "a tick of -0 prints as \"-0\""));
    }

    private static double SvgCanvasWidth(string s) => SvgCanvas.TextWidth(s);

    private static List<double> SvgCanvasTicks(double lo, double hi) => SvgCanvas.Ticks(lo, hi);
}
