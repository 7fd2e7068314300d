using Seamless.Evaluation.Images;

namespace Seamless.Evaluation.Generation;

/// <summary>
/// One generated image and the seed that drew it: encoded bytes (web backends return PNG) or pixels (in-process
/// engines), whichever the backend has; <see cref="ImageCache"/> and the evaluator convert as needed.
/// </summary>
public sealed record GeneratedImage(long Seed, byte[]? Encoded, RgbaImage? Pixels)
{
    public static GeneratedImage FromPng(long seed, byte[] png) => new(seed, png, null);

    public static GeneratedImage FromPixels(long seed, RgbaImage pixels) => new(seed, null, pixels);

    public RgbaImage Decode(IImageCodec codec, string source)
    {
        ArgumentNullException.ThrowIfNull(codec);
        return Pixels ?? codec.Decode(Encoded ?? throw new InvalidOperationException("an image with neither pixels nor bytes"), source);
    }

    public byte[] Encode(IImageCodec codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        return Encoded ?? codec.EncodePng(Pixels ?? throw new InvalidOperationException("an image with neither pixels nor bytes"));
    }
}
