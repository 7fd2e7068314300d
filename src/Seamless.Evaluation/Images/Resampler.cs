namespace Seamless.Evaluation.Images;

/// <summary>
/// Separable resampling with PIL's conventions, so tagger inputs match the images the taggers were trained on:
/// pixel centres at (i + 0.5)·scale, the kernel stretched by the scale factor when shrinking (antialiasing),
/// weights normalised per output pixel, bicubic with a = −0.5, results rounded and clamped to bytes.
/// Works on RGBA channels independently (callers composite alpha first).
/// </summary>
public static class Resampler
{
    public static RgbaImage Resize(RgbaImage source, int width, int height, ResizeFilter filter)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Width == width && source.Height == height)
        {
            return source;
        }

        var horizontal = Weights(source.Width, width, filter);
        var vertical = Weights(source.Height, height, filter);

        // Horizontal pass into floats (source rows × new width), then vertical pass into bytes.
        var mid = new float[source.Height * width * 4];
        var src = source.Pixels;
        for (var y = 0; y < source.Height; y++)
        {
            var row = y * source.Width * 4;
            for (var x = 0; x < width; x++)
            {
                var (first, w) = horizontal[x];
                float r = 0, g = 0, b = 0, a = 0;
                for (var k = 0; k < w.Length; k++)
                {
                    var p = row + ((first + k) * 4);
                    var wk = w[k];
                    r += src[p] * wk;
                    g += src[p + 1] * wk;
                    b += src[p + 2] * wk;
                    a += src[p + 3] * wk;
                }

                var o = ((y * width) + x) * 4;
                mid[o] = r;
                mid[o + 1] = g;
                mid[o + 2] = b;
                mid[o + 3] = a;
            }
        }

        var dst = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            var (first, w) = vertical[y];
            for (var x = 0; x < width * 4; x++)
            {
                var acc = 0f;
                for (var k = 0; k < w.Length; k++)
                {
                    acc += mid[((first + k) * width * 4) + x] * w[k];
                }

                dst[(y * width * 4) + x] = (byte)Math.Clamp(MathF.Round(acc, MidpointRounding.AwayFromZero), 0, 255);
            }
        }

        return new RgbaImage(width, height, dst);
    }

    /// <summary>Per output index: the first contributing input index and the normalised weights.</summary>
    internal static (int First, float[] Weights)[] Weights(int inSize, int outSize, ResizeFilter filter)
    {
        var support = filter == ResizeFilter.Bicubic ? 2.0 : 1.0;
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(1.0, scale);
        var radius = support * filterScale;
        var result = new (int, float[])[outSize];
        for (var i = 0; i < outSize; i++)
        {
            var centre = (i + 0.5) * scale;
            var lo = Math.Max(0, (int)Math.Floor(centre - radius + 0.5));
            var hi = Math.Min(inSize, (int)Math.Floor(centre + radius + 0.5));
            var w = new double[Math.Max(1, hi - lo)];
            var sum = 0.0;
            for (var j = lo; j < hi; j++)
            {
                var v = Kernel((j - centre + 0.5) / filterScale, filter);
                w[j - lo] = v;
                sum += v;
            }

            var weights = new float[w.Length];
            for (var k = 0; k < w.Length; k++)
            {
                weights[k] = sum == 0 ? 0 : (float)(w[k] / sum);
            }

            result[i] = (lo, weights);
        }

        return result;
    }

    private static double Kernel(double x, ResizeFilter filter)
    {
        x = Math.Abs(x);
        if (filter == ResizeFilter.Bilinear)
        {
            return x < 1 ? 1 - x : 0;
        }

        const double a = -0.5;
        if (x < 1)
        {
            return (((a + 2) * x) - (a + 3)) * x * x + 1;
        }

        return x < 2 ? ((((a * x) - (5 * a)) * x) + (8 * a)) * x - (4 * a) : 0;
    }
}
