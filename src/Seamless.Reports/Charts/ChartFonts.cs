namespace Seamless.Reports.Charts;

/// <summary>
/// ScottPlot with SkiaSharp 4 draws blank text unless a regular and a bold font file are registered; on a bare Linux
/// machine the DejaVu package (fonts-dejavu-core, installed by .ci/run) provides both.
/// </summary>
internal static class ChartFonts
{
    private static readonly Lazy<bool> Registered = new(Register);

    public static void Ensure() => _ = Registered.Value;

    private static bool Register()
    {
        string[] folders = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts", "/Library/Fonts", @"C:\Windows\Fonts"];
        foreach (var folder in folders)
        {
            var regular = Path.Combine(folder, "DejaVuSans.ttf");
            var bold = Path.Combine(folder, "DejaVuSans-Bold.ttf");
            if (File.Exists(regular) && File.Exists(bold))
            {
                ScottPlot.Fonts.AddFontFile("DejaVu Sans", regular, bold: false, italic: false);
                ScottPlot.Fonts.AddFontFile("DejaVu Sans", bold, bold: true, italic: false);
                ScottPlot.Fonts.Default = "DejaVu Sans";
                return true;
            }
        }

        // Elsewhere the platform's default font is used; only on bare Linux machines can labels come out blank.
        return false;
    }
}
