using System.Globalization;

namespace Seamless.Reports.Charts.Svg;

/// <summary>
/// A recipe as a model × block heat map: one cell per weight, blue for positive and red for negative, its value
/// written in the cell, block names upright above the columns (26 or 20 names never overlap), model names at the
/// left. With <c>signed</c> colours scaled to the largest |w| it also draws the difference of two recipes.
/// </summary>
public static class SvgHeatmapChart
{
    public static string Render(string title, IReadOnlyList<string> models, IReadOnlyList<string> blocks, double[,] grid)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(grid);
        const double W = 960, Cell = 30;
        var left = Math.Min(260, 12 + models.Select(m => SvgCanvas.TextWidth(m)).DefaultIfEmpty(40).Max());
        var cellW = Math.Max(24, (W - left - 8) / Math.Max(1, blocks.Count));
        var top = 30 + blocks.Select(b => SvgCanvas.TextWidth(b, 11)).DefaultIfEmpty(20).Max() + 6;
        var svg = new SvgCanvas("heatmap", Math.Max(W, left + (cellW * blocks.Count) + 8), top + (Cell * models.Count) + 8,
            new Dictionary<string, string> { ["cells"] = (models.Count * blocks.Count).ToString(CultureInfo.InvariantCulture) });
        svg.Text(8, 18, title, extra: "font-weight=\"600\"");
        var max = 1e-9;
        foreach (var w in grid)
        {
            max = Math.Max(max, Math.Abs(w));
        }

        for (var b = 0; b < blocks.Count; b++)
        {
            var x = left + (b * cellW) + (cellW / 2) + 4;
            svg.Text(x, top - 6, blocks[b], "start", $"font-size=\"11\" transform=\"rotate(-90 {SvgCanvas.N(x)} {SvgCanvas.N(top - 6)})\"");
        }

        for (var m = 0; m < models.Count; m++)
        {
            var y = top + (m * Cell);
            var name = models[m].Length > 36 ? models[m][..35] + "…" : models[m];
            svg.Text(left - 6, y + 19, name, "end", title: models[m]);
            for (var b = 0; b < blocks.Count; b++)
            {
                var w = grid[m, b];
                var t = Math.Abs(w) / max;
                var fill = w >= 0 ? Mix(t, (31, 119, 180)) : Mix(t, (214, 39, 40));
                var value = w.ToString("0.##", CultureInfo.InvariantCulture);
                svg.Rect(left + (b * cellW), y, cellW - 1, Cell - 1, fill, $"{models[m]} · {blocks[b]}: {w.ToString("0.####", CultureInfo.InvariantCulture)}", "class=\"cell\"");
                if (cellW >= 26)
                {
                    svg.Text(left + (b * cellW) + (cellW / 2), y + 19, value, "middle", $"font-size=\"10\" fill=\"{(t > 0.6 ? "#fff" : "#222")}\" pointer-events=\"none\"");
                }
            }
        }

        return svg.ToString();
    }

    private static string Mix(double t, (int R, int G, int B) to)
    {
        int C(int c) => (int)Math.Round(255 + ((c - 255) * Math.Clamp(t, 0, 1)));
        return $"rgb({C(to.R)},{C(to.G)},{C(to.B)})";
    }
}
