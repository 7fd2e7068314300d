using Seamless.Evaluation.Images;

namespace Seamless.Evaluation.Diversity;

/// <summary>
/// CLIP's image preprocessing (transformers' <c>CLIPImageProcessor</c>): drop alpha, resize the short side with PIL's
/// kernel, centre-crop with the top-left corner at <c>((h − crop) // 2, (w − crop) // 2)</c>, rescale and normalise.
/// </summary>
public static class ClipPreprocessor
{
    /// <summary>The (width, height) the short-side resize gives: <c>get_resize_output_image_size(…, default_to_square=False)</c>.</summary>
    public static (int Width, int Height) ResizedSize(int width, int height, int shortestEdge)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shortestEdge);
        return width <= height
            ? (shortestEdge, (int)((long)shortestEdge * height / width))
            : ((int)((long)shortestEdge * width / height), shortestEdge);
    }

    /// <summary>Resized and cropped pixels, CropSize × CropSize (alpha ignored: CLIP's processor converts to RGB, dropping it).</summary>
    public static RgbaImage Prepare(RgbaImage image, EncoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(spec);
        var (w, h) = ResizedSize(image.Width, image.Height, spec.ShortestEdge);
        var resized = w == image.Width && h == image.Height ? image : Resampler.Resize(image, w, h, spec.Resize);
        return Crop(resized, spec.CropSize);
    }

    /// <summary>Writes a prepared image as normalised RGB planes into one batch slot of 3 · crop² floats.</summary>
    public static void Write(RgbaImage prepared, EncoderSpec spec, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(spec);
        var plane = prepared.Width * prepared.Height;
        if (destination.Length != plane * 3)
        {
            throw new ArgumentException($"slot of {destination.Length} floats for {plane * 3} values", nameof(destination));
        }

        var px = prepared.Pixels;
        for (var c = 0; c < 3; c++)
        {
            // Rescale then normalise, in float32 as numpy does it: (x · (1/255) − mean) / std.
            var target = destination.Slice(c * plane, plane);
            var mean = spec.Mean[c];
            var std = spec.Std[c];
            for (var i = 0; i < plane; i++)
            {
                target[i] = ((px[(i * 4) + c] * (1f / 255f)) - mean) / std;
            }
        }
    }

    /// <summary>
    /// transformers' <c>center_crop</c>: top = (h − crop) // 2, left = (w − crop) // 2. Specs keep the crop within the
    /// resized image (crop ≤ shortest edge), so no padding rule is needed.
    /// </summary>
    public static RgbaImage Crop(RgbaImage image, int crop)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(crop);
        if (image.Width == crop && image.Height == crop)
        {
            return image;
        }

        if (crop > image.Width || crop > image.Height)
        {
            throw new ArgumentException($"a {crop}² crop of a {image.Width}×{image.Height} image", nameof(crop));
        }

        var top = (image.Height - crop) / 2;
        var left = (image.Width - crop) / 2;
        var px = new byte[crop * crop * 4];
        for (var y = 0; y < crop; y++)
        {
            Array.Copy(image.Pixels, (((y + top) * image.Width) + left) * 4, px, y * crop * 4, crop * 4);
        }

        return new RgbaImage(crop, crop, px);
    }
}
