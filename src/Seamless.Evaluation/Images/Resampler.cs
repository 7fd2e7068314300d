using System.Buffers;
using System.Numerics.Tensors;

namespace Seamless.Evaluation.Images;

/// <summary>
/// Separable resampling with PIL's conventions, so tagger inputs match the images the taggers were trained on:
/// pixel centres at (i + 0.5)·scale, the kernel stretched by the scale factor when shrinking (antialiasing),
/// weights normalised per output pixel, bicubic with a = −0.5, the horizontal pass and the result rounded and clamped
/// to bytes.
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

        // Horizontal pass: each source row to floats once, then taps over 4 interleaved channels.
        var rowStride = width * 4;
        // Scratch from the shared pool: a tagger resizes thousands of images and the LOH churn would dominate.
        var midArray = ArrayPool<float>.Shared.Rent(source.Height * rowStride);
        var rowArray = ArrayPool<float>.Shared.Rent(source.Width * 4);
        var accArray = ArrayPool<float>.Shared.Rent(rowStride);
        var mid = midArray.AsSpan(0, source.Height * rowStride);
        var rowFloats = rowArray.AsSpan(0, source.Width * 4);
        var acc = accArray.AsSpan(0, rowStride);
        var src = source.Pixels;
        for (var y = 0; y < source.Height; y++)
        {
            var srcRow = src.AsSpan(y * source.Width * 4, source.Width * 4);
            for (var i = 0; i < rowFloats.Length; i++)
            {
                rowFloats[i] = srcRow[i];
            }

            var outRow = mid.Slice(y * rowStride, rowStride);
            for (var x = 0; x < width; x++)
            {
                var (first, w) = horizontal[x];
                float r = 0, g = 0, b = 0, a = 0;
                var p = first * 4;
                for (var k = 0; k < w.Length; k++, p += 4)
                {
                    var wk = w[k];
                    r += rowFloats[p] * wk;
                    g += rowFloats[p + 1] * wk;
                    b += rowFloats[p + 2] * wk;
                    a += rowFloats[p + 3] * wk;
                }

                // PIL writes the horizontal pass to an 8-bit image: rounded and clamped before the vertical pass.
                // Bicubic overshoots past 0 and 255 at sharp edges, so without this, upscaled edges differ by
                // up to 18 levels from PIL's (checked against Debian's PIL in TaggerPreprocessorGoldenTests).
                var o = x * 4;
                outRow[o] = Byte(r);
                outRow[o + 1] = Byte(g);
                outRow[o + 2] = Byte(b);
                outRow[o + 3] = Byte(a);
            }
        }

        // Vertical pass: whole rows at a time (contiguous, vectorised multiply-add), then round and clamp.
        var dst = new byte[height * rowStride];
        for (var y = 0; y < height; y++)
        {
            var (first, w) = vertical[y];
            acc.Clear();
            for (var k = 0; k < w.Length; k++)
            {
                TensorPrimitives.MultiplyAdd(mid.Slice((first + k) * rowStride, rowStride), w[k], acc, acc);
            }

            var outRow = dst.AsSpan(y * rowStride, rowStride);
            for (var x = 0; x < rowStride; x++)
            {
                outRow[x] = (byte)Math.Clamp(MathF.Round(acc[x], MidpointRounding.AwayFromZero), 0, 255);
            }
        }

        ArrayPool<float>.Shared.Return(midArray);
        ArrayPool<float>.Shared.Return(rowArray);
        ArrayPool<float>.Shared.Return(accArray);
        return new RgbaImage(width, height, dst);
    }

    private static float Byte(float v) => Math.Clamp(MathF.Round(v, MidpointRounding.AwayFromZero), 0, 255);

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
