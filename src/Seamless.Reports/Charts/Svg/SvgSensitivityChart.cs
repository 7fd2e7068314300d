using System.Globalization;
using Seamless.Reports.Model;

namespace Seamless.Reports.Charts.Svg;

/// <summary>
/// |Spearman ρ| of the most influential parameters as horizontal bars, each labelled with its whole name (the left
/// margin is sized by the longest label, so names like <c>model:IN04</c> are never cut).
/// </summary>
public static class SvgSensitivityChart
{
    public const int MaxBars = 20;

    public static string Render(IReadOnlyList<(string Parameter, double Importance)> sensitivity)
    {
        ArgumentNullException.ThrowIfNull(sensitivity);
        var top = sensitivity.Take(MaxBars).ToList();
        const double W = 960, Row = 20, Top = 30;
        var left = Math.Min(420, 12 + top.Select(t => SvgCanvas.TextWidth(t.Parameter)).DefaultIfEmpty(60).Max());
        var height = Top + (Row * Math.Max(1, top.Count)) + 10;
        var svg = new SvgCanvas("sensitivity", W, height, new Dictionary<string, string> { ["bars"] = top.Count.ToString(CultureInfo.InvariantCulture) });
        svg.Text(8, 18, "parameter sensitivity: |Spearman ρ| with the score", extra: "font-weight=\"600\"");
        var max = Math.Max(1e-9, top.Select(t => t.Importance).DefaultIfEmpty(1).Max());
        for (var i = 0; i < top.Count; i++)
        {
            var (name, value) = top[i];
            var y = Top + (i * Row);
            var w = (W - left - 70) * value / max;
            svg.Text(left - 6, y + 14, name, "end", "class=\"label\"")
                .Rect(left, y + 3, w, Row - 6, "#1f77b4", $"{name}: {value.ToString("0.000", CultureInfo.InvariantCulture)}", "class=\"bar\"")
                .Text(left + w + 4, y + 14, value.ToString("0.00", CultureInfo.InvariantCulture));
        }

        return svg.ToString();
    }
}
