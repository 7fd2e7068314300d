using Seamless.Evaluation.Images;

namespace Seamless.Evaluation.Tagging;

/// <summary>
/// Turns an image into one tagger input: composite on white (taggers never saw transparency), pad to a white
/// square centred like the WD reference (or stretch), resize with the spec's filter, then write channels in the
/// spec's order, layout and range into the batch buffer.
/// </summary>
public static class TaggerPreprocessor
{
    public static RgbaImage Prepare(RgbaImage image, TaggerSpec spec, int size)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(spec);
        var flat = CompositeOnWhite(image);
        if (spec.PadToSquare && flat.Width != flat.Height)
        {
            flat = PadToSquare(flat);
        }

        return Resampler.Resize(flat, size, size, spec.Resize);
    }

    /// <summary>Writes a prepared size×size image into <paramref name="destination"/> (one batch slot).</summary>
    public static void Write(RgbaImage prepared, TaggerSpec spec, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(spec);
        var plane = prepared.Width * prepared.Height;
        if (destination.Length != plane * 3)
        {
            throw new ArgumentException($"slot of {destination.Length} floats for {plane * 3} values", nameof(destination));
        }

        Span<float> scale = stackalloc float[3];
        Span<float> offset = stackalloc float[3];
        for (var c = 0; c < 3; c++)
        {
            var std = spec.Std?[c] ?? 1f;
            var mean = spec.Mean?[c] ?? 0f;
            scale[c] = spec.Scale / std;
            offset[c] = -mean / std;
        }

        var px = prepared.Pixels;
        if (spec.Layout == TensorLayout.Nhwc)
        {
            // Channels last: one pass, output channel c from source channel order[c].
            int o0 = spec.Bgr ? 2 : 0, o2 = spec.Bgr ? 0 : 2;
            float s0 = scale[0], s1 = scale[1], s2 = scale[2], f0 = offset[0], f1 = offset[1], f2 = offset[2];
            for (var i = 0; i < plane; i++)
            {
                var p = i * 4;
                var d = i * 3;
                destination[d] = (px[p + o0] * s0) + f0;
                destination[d + 1] = (px[p + 1] * s1) + f1;
                destination[d + 2] = (px[p + o2] * s2) + f2;
            }

            return;
        }

        for (var c = 0; c < 3; c++)
        {
            var source = spec.Bgr ? 2 - c : c;
            var target = destination.Slice(c * plane, plane);
            float sc = scale[c], of = offset[c];
            for (var i = 0; i < plane; i++)
            {
                target[i] = (px[(i * 4) + source] * sc) + of;
            }
        }
    }

    /// <summary>
    /// ML-Danbooru's keep-ratio size (ml_danbooru.py, RimoChan/stable-diffusion-anime-tag-benchmark @ 320a57b3): the
    /// short side to <paramref name="size"/>, the long side in proportion, each floored to a multiple of 4 —
    /// <c>int(w / min(w, h) * size) // 4 * 4</c>. A square image keeps size × size, as the stretch does.
    /// </summary>
    public static (int Width, int Height) KeepRatioSize(int width, int height, int size)
    {
        var shortSide = (double)Math.Min(width, height);
        return ((int)(width / shortSide * size) / 4 * 4, (int)(height / shortSide * size) / 4 * 4);
    }

    public static RgbaImage CompositeOnWhite(RgbaImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var src = image.Pixels;
        var opaque = true;
        for (var i = 3; i < src.Length; i += 4)
        {
            if (src[i] != 255)
            {
                opaque = false;
                break;
            }
        }

        if (opaque)
        {
            return image;
        }

        var dst = new byte[src.Length];
        for (var i = 0; i < src.Length; i += 4)
        {
            var a = src[i + 3];
            for (var c = 0; c < 3; c++)
            {
                dst[i + c] = (byte)(((src[i + c] * a) + (255 * (255 - a)) + 127) / 255);
            }

            dst[i + 3] = 255;
        }

        return new RgbaImage(image.Width, image.Height, dst);
    }

    public static RgbaImage PadToSquare(RgbaImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var side = Math.Max(image.Width, image.Height);
        var result = RgbaImage.Filled(side, side, 255, 255, 255);
        var left = (side - image.Width) / 2;
        var top = (side - image.Height) / 2;
        var rowBytes = image.Width * 4;
        for (var y = 0; y < image.Height; y++)
        {
            Array.Copy(image.Pixels, y * rowBytes, result.Pixels, (((top + y) * side) + left) * 4, rowBytes);
        }

        return result;
    }
}
