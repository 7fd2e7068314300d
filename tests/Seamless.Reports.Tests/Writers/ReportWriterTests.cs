using Seamless.Imaging;
using Seamless.Reports.Model;
using Seamless.Reports.Writers;
using Seamless.Tests.Model;

namespace Seamless.Tests.Writers;

public sealed class ReportWriterTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Write_RecordedStudy_HtmlMarkdownAndChartsWithTheStudysNumbers()
    {
        var (study, trials) = ReportBuilderTests.Recorded(_temp.File("s.db"));
        var data = ReportBuilder.Build(study, trials, "s.db", DateTimeOffset.UnixEpoch);
        var grid = GridRenderer.Render(["p0"], [("m", [Seamless.Evaluation.Images.RgbaImage.Filled(16, 16, 200, 10, 10)])]);
        var files = ReportWriter.Write(data, _temp.File("report"), [("round 0 samples", grid)]);

        var html = File.ReadAllText(files.Html);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(html, "src=\"data:image/png;base64,"));   // the grid; charts are inline SVG
        Assert.Contains("data-chart=\"scores\"", html, StringComparison.Ordinal);
        Assert.Contains("data-chart=\"sensitivity\"", html, StringComparison.Ordinal);
        Assert.Contains("round 0 samples", html, StringComparison.Ordinal);
        Assert.Contains("backend down", html, StringComparison.Ordinal);
        Assert.Equal(12, CountOf(html, "<tr><td>"));   // one row per trial

        var md = File.ReadAllText(files.Markdown);
        Assert.Contains("![scores](charts/scores.png)", md, StringComparison.Ordinal);
        var character = data.Categories.Single(r => r.Category == "character");
        Assert.Contains($"| character | {(100 * character.Best!.Value).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} %", md, StringComparison.Ordinal);

        var codec = new SkiaImageCodec();
        foreach (var chart in files.Charts)
        {
            var png = codec.Decode(File.ReadAllBytes(chart), chart);
            Assert.Equal(900, png.Width);
        }

        Assert.Empty(Directory.GetFiles(_temp.File("report"), "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Write_ChartText_IsDrawn()
    {
        // Titles and labels must not come out blank on a bare Linux machine (fonts registered): a chart with text has
        // many more dark pixels than the same chart's frame alone would.
        var (study, trials) = ReportBuilderTests.Recorded(_temp.File("s.db"));
        var data = ReportBuilder.Build(study, trials, "s.db", DateTimeOffset.UnixEpoch);
        var png = new SkiaImageCodec().Decode(Seamless.Reports.Charts.ChartRenderer.Scores(data), "scores");
        var titleBand = 0;
        for (var y = 0; y < 30; y++)
        {
            for (var x = 0; x < png.Width; x++)
            {
                var i = ((y * png.Width) + x) * 4;
                titleBand += png.Pixels[i] < 100 ? 1 : 0;
            }
        }

        Assert.True(titleBand > 200, $"only {titleBand} dark pixels where the title should be");
    }

    [Fact]
    public void Sensitivity_LongParameterNames_LabelsDrawnWhole()
    {
        // Upright labels of 24 characters need ~150 px below the axis; cut to their first word ("tiny") they took ~30.
        var (study, trials) = ReportBuilderTests.Recorded(_temp.File("s.db"));
        var data = ReportBuilder.Build(study, trials, "s.db", DateTimeOffset.UnixEpoch);
        data = data with { Sensitivity = [.. data.Sensitivity.Select(s => s with { Parameter = "animagine-xl-3.1-merge:" + s.Parameter })] };
        var png = new SkiaImageCodec().Decode(Seamless.Reports.Charts.ChartRenderer.Sensitivity(data), "sensitivity");

        // Grey enough to be text (anti-aliased upright glyphs are thin) and not the white background.
        bool Dark(int x, int y) => png.Pixels[((y * png.Width) + x) * 4] < 180;

        // The axis is the lowest row that is dark across most of the width; labels are the dark rows under it.
        var axis = Enumerable.Range(0, png.Height).Last(y => Enumerable.Range(0, png.Width).Count(x => Dark(x, y)) > png.Width / 2);
        var labelRows = Enumerable.Range(axis + 1, png.Height - axis - 1).Count(y => Enumerable.Range(0, png.Width).Any(x => Dark(x, y)));
        Assert.True(labelRows > 80, $"only {labelRows} rows of label text under the axis");
    }

    private static int CountOf(string text, string piece)
    {
        var n = 0;
        for (var i = text.IndexOf(piece, StringComparison.Ordinal); i >= 0; i = text.IndexOf(piece, i + 1, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
