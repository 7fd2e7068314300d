using System.Globalization;
using System.Net;
using System.Text;

namespace Seamless.Reports.Charts.Svg;

/// <summary>
/// A small SVG writer: numbers in invariant culture with two decimals, every text escaped (model names and parameter
/// names are user data), and a responsive root (<c>viewBox</c>, width 100 %), so one chart serves the static report
/// and the dashboard alike.
/// </summary>
internal sealed class SvgCanvas
{
    private readonly StringBuilder _s = new();

    public SvgCanvas(string chart, double width, double height, IReadOnlyDictionary<string, string>? data = null)
    {
        Width = width;
        Height = height;
        _s.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"").Append(chart).Append("\" viewBox=\"0 0 ")
            .Append(N(width)).Append(' ').Append(N(height)).Append("\" width=\"100%\" role=\"img\" font-family=\"system-ui,sans-serif\" font-size=\"12\"");
        foreach (var (k, v) in data ?? new Dictionary<string, string>())
        {
            _s.Append(" data-").Append(k).Append("=\"").Append(E(v)).Append('"');
        }

        _s.Append('>');
    }

    public double Width { get; }

    public double Height { get; }

    public static string N(double v) => Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);

    public static string E(string s) => WebUtility.HtmlEncode(s);

    public SvgCanvas Raw(string markup)
    {
        _s.Append(markup);
        return this;
    }

    public SvgCanvas Text(double x, double y, string text, string anchor = "start", string? extra = null, string? title = null)
    {
        _s.Append("<text x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" text-anchor=\"").Append(anchor).Append('"');
        if (extra is not null)
        {
            _s.Append(' ').Append(extra);
        }

        _s.Append('>');
        if (title is not null)
        {
            _s.Append("<title>").Append(E(title)).Append("</title>");
        }

        _s.Append(E(text)).Append("</text>");
        return this;
    }

    public SvgCanvas Line(double x1, double y1, double x2, double y2, string stroke, double width = 1) =>
        Raw($"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\"/>");

    public SvgCanvas Rect(double x, double y, double w, double h, string fill, string? title = null, string? extra = null)
    {
        _s.Append("<rect x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" width=\"").Append(N(Math.Max(0, w))).Append("\" height=\"")
            .Append(N(Math.Max(0, h))).Append("\" fill=\"").Append(fill).Append('"');
        if (extra is not null)
        {
            _s.Append(' ').Append(extra);
        }

        if (title is null)
        {
            _s.Append("/>");
        }
        else
        {
            _s.Append("><title>").Append(E(title)).Append("</title></rect>");
        }

        return this;
    }

    public SvgCanvas Polyline(IEnumerable<(double X, double Y)> points, string stroke, double width, string cls)
    {
        _s.Append("<polyline class=\"").Append(cls).Append("\" fill=\"none\" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(N(width)).Append("\" points=\"");
        foreach (var (x, y) in points)
        {
            _s.Append(N(x)).Append(',').Append(N(y)).Append(' ');
        }

        _s.Append("\"/>");
        return this;
    }

    public override string ToString() => _s.ToString() + "</svg>";

    /// <summary>About 5 round tick values covering [lo, hi] (1, 2 or 5 × a power of ten apart).</summary>
    public static List<double> Ticks(double lo, double hi, int target = 5)
    {
        if (!(hi > lo))
        {
            return [lo];
        }

        var raw = (hi - lo) / target;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        var ticks = new List<double>();
        for (var v = Math.Ceiling(lo / step) * step; v <= hi + (step * 1e-9); v += step)
        {
            var tick = Math.Round(v / step) * step;
            ticks.Add(tick == 0 ? 0 : tick);   // never "-0"
        }

        return ticks;
    }

    /// <summary>The text width of <paramref name="text"/> at <paramref name="fontSize"/> px (system sans fonts average ~0.6 em).</summary>
    public static double TextWidth(string text, double fontSize = 12) => 0.6 * fontSize * text.Length;
}
