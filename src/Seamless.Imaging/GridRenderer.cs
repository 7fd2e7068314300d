using SkiaSharp;
using Seamless.Evaluation.Images;

namespace Seamless.Imaging;

/// <summary>
/// A labelled sample grid: one row per model (label on the left), one column per sample prompt/seed (label on top),
/// every image scaled into a square cell. Used for per-round sample grids, where drift between rounds shows.
/// </summary>
public static class GridRenderer
{
    public static byte[] Render(IReadOnlyList<string> columnLabels, IReadOnlyList<(string Label, IReadOnlyList<RgbaImage> Images)> rows, int cell = 160)
    {
        ArgumentNullException.ThrowIfNull(columnLabels);
        ArgumentNullException.ThrowIfNull(rows);
        const int rowHeader = 180;
        const int colHeader = 28;
        var cols = Math.Max(columnLabels.Count, rows.Count == 0 ? 0 : rows.Max(r => r.Images.Count));
        var width = rowHeader + (cols * cell);
        var height = colHeader + (rows.Count * cell);
        using var surface = SKSurface.Create(new SKImageInfo(Math.Max(1, width), Math.Max(1, height), SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var typeface = Typeface();
        using var font = new SKFont(typeface, 14);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        for (var c = 0; c < columnLabels.Count; c++)
        {
            canvas.DrawText(Fit(columnLabels[c], font, cell - 8), rowHeader + (c * cell) + (cell / 2f), colHeader - 9, SKTextAlign.Center, font, ink);
        }

        using var sampling = new SKPaint { IsAntialias = true };
        for (var r = 0; r < rows.Count; r++)
        {
            var top = colHeader + (r * cell);
            canvas.DrawText(Fit(rows[r].Label, font, rowHeader - 12), 6, top + (cell / 2f), SKTextAlign.Left, font, ink);
            for (var c = 0; c < rows[r].Images.Count; c++)
            {
                using var image = ToSkImage(rows[r].Images[c]);
                var rect = SKRect.Create(rowHeader + (c * cell) + 2, top + 2, cell - 4, cell - 4);
                canvas.DrawImage(image, rect, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), sampling);
            }
        }

        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static SKImage ToSkImage(RgbaImage image)
    {
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        return SKImage.FromPixelCopy(info, image.Pixels, image.Width * 4);
    }

    private static string Fit(string text, SKFont font, float width)
    {
        if (font.MeasureText(text) <= width)
        {
            return text;
        }

        var t = text;
        while (t.Length > 1 && font.MeasureText(t + "…") > width)
        {
            t = t[..^1];
        }

        return t + "…";
    }

    /// <summary>DejaVu Sans from the system (fonts-dejavu-core) when present, else whatever the platform matches.</summary>
    private static SKTypeface Typeface()
    {
        const string dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        return File.Exists(dejavu) ? SKTypeface.FromFile(dejavu) : SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
    }
}
