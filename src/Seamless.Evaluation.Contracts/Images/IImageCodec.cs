namespace Seamless.Evaluation.Images;

/// <summary>Encodes and decodes image files (PNG at least). Implemented where the imaging library lives.</summary>
public interface IImageCodec
{
    /// <summary>Decodes PNG/JPEG/WebP bytes; throws <see cref="Errors.EvaluationException"/> (ImageInvalid) on corrupt data.</summary>
    RgbaImage Decode(ReadOnlySpan<byte> encoded, string source);

    byte[] EncodePng(RgbaImage image);
}
