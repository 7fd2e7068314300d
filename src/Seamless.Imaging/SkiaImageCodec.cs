using SkiaSharp;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Images;

namespace Seamless.Imaging;

/// <summary>PNG/JPEG/WebP decoding and PNG encoding with SkiaSharp, into unpremultiplied RGBA.</summary>
public sealed class SkiaImageCodec : IImageCodec
{
    public RgbaImage Decode(ReadOnlySpan<byte> encoded, string source)
    {
        if (encoded.IsEmpty)
        {
            throw new EvaluationException(source, EvaluationError.ImageInvalid, "empty image data");
        }

        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            throw new EvaluationException(source, EvaluationError.ImageInvalid, "not a PNG, JPEG or WebP image (or a corrupt one)");
        }

        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (info.Width <= 0 || info.Height <= 0 || (long)info.Width * info.Height > 64L * 1024 * 1024)
        {
            throw new EvaluationException(source, EvaluationError.ImageInvalid, $"implausible image size {info.Width}×{info.Height}");
        }

        var pixels = new byte[info.Width * info.Height * 4];
        SKCodecResult result;
        unsafe
        {
            fixed (byte* p = pixels)
            {
                result = codec.GetPixels(info, (IntPtr)p);
            }
        }

        if (result != SKCodecResult.Success)
        {
            throw new EvaluationException(source, EvaluationError.ImageInvalid, $"image data is corrupt or truncated ({result})");
        }

        return new RgbaImage(info.Width, info.Height, pixels);
    }

    public byte[] EncodePng(RgbaImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        unsafe
        {
            fixed (byte* p = image.Pixels)
            {
                using var pixmap = new SKPixmap(info, (IntPtr)p, image.Width * 4);
                using var data = pixmap.Encode(SKEncodedImageFormat.Png, 100)
                    ?? throw new InvalidOperationException("SkiaSharp could not encode a PNG");
                return data.ToArray();
            }
        }
    }

    /// <summary>
    /// A JPEG no larger than <paramref name="maxSide"/> on its longer side (downscaled with mipmaps, never upscaled):
    /// the bounded sample images a study keeps per trial.
    /// </summary>
    public static byte[] EncodeThumbnailJpeg(RgbaImage image, int maxSide = 256, int quality = 80)
    {
        ArgumentNullException.ThrowIfNull(image);
        var scale = Math.Min(1.0, (double)maxSide / Math.Max(image.Width, image.Height));
        var width = Math.Max(1, (int)Math.Round(image.Width * scale));
        var height = Math.Max(1, (int)Math.Round(image.Height * scale));
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        unsafe
        {
            fixed (byte* p = image.Pixels)
            {
                using var source = new SKPixmap(info, (IntPtr)p, image.Width * 4);
                using var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
                if (!source.ScalePixels(target.PeekPixels(), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)))
                {
                    throw new InvalidOperationException("SkiaSharp could not scale a thumbnail");
                }

                using var data = target.Encode(SKEncodedImageFormat.Jpeg, quality)
                    ?? throw new InvalidOperationException("SkiaSharp could not encode a JPEG");
                return data.ToArray();
            }
        }
    }
}
