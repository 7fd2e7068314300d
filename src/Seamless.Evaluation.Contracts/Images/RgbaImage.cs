namespace Seamless.Evaluation.Images;

/// <summary>8-bit RGBA pixels, row-major, non-premultiplied alpha. The one in-memory image type of Seamless.</summary>
public sealed class RgbaImage
{
    public RgbaImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.Length != checked(width * height * 4))
        {
            throw new ArgumentException($"{pixels.Length} bytes for a {width}×{height} RGBA image", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    public static RgbaImage Filled(int width, int height, byte r, byte g, byte b, byte a = 255)
    {
        var px = new byte[width * height * 4];
        for (var i = 0; i < px.Length; i += 4)
        {
            px[i] = r;
            px[i + 1] = g;
            px[i + 2] = b;
            px[i + 3] = a;
        }

        return new RgbaImage(width, height, px);
    }
}
