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
}
