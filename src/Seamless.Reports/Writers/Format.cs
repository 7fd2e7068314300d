using System.Globalization;

namespace Seamless.Reports.Writers;

/// <summary>Number formatting shared by the HTML and Markdown writers (invariant culture, fixed precision).</summary>
internal static class Format
{
    public static string Score(double? v) => v is { } x && !double.IsNaN(x) ? x.ToString("0.0000", CultureInfo.InvariantCulture) : "—";

    public static string Percent(double? v) => v is { } x && !double.IsNaN(x) ? (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—";

    /// <summary>A category-table cell: accuracy as a percentage, diversity (1 − a cosine, not a proportion) as a number.</summary>
    public static string Cell(string row, double? v) => row == Model.ReportBuilder.DiversityMetric ? Score(v) : Percent(v);

    public static string Delta(double? v) => v is { } x && !double.IsNaN(x) ? x.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) : "—";

    public static string Weight(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Interval(double? low, double? high) =>
        low is { } l && high is { } h ? $"{l.ToString("0.000", CultureInfo.InvariantCulture)}–{h.ToString("0.000", CultureInfo.InvariantCulture)}" : "";

    public static string Duration(TimeSpan? d) => d is { } x ? x.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "";
}
