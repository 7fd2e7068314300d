using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Images;
using Seamless.Imaging;

namespace Seamless.Tests.Imaging;

public class SkiaImageCodecTests
{
    private static RgbaImage Gradient(int w, int h)
    {
        var px = new byte[w * h * 4];
        for (var i = 0; i < w * h; i++)
        {
            px[i * 4] = (byte)(i % 251);
            px[(i * 4) + 1] = (byte)(i * 7 % 256);
            px[(i * 4) + 2] = (byte)(255 - (i % 256));
            px[(i * 4) + 3] = (byte)(i % 3 == 0 ? 255 : 200);
        }

        return new RgbaImage(w, h, px);
    }

    [Fact]
    public void EncodePng_ThenDecode_SamePixels()
    {
        var codec = new SkiaImageCodec();
        var img = Gradient(37, 19);
        var png = codec.EncodePng(img);
        Assert.Equal((byte)0x89, png[0]);
        var back = codec.Decode(png, "x.png");
        Assert.Equal(img.Width, back.Width);
        Assert.Equal(img.Pixels, back.Pixels);
    }

    [Fact]
    public void Decode_Garbage_ImageInvalidNamingSource()
    {
        var ex = Assert.Throws<EvaluationException>(() => new SkiaImageCodec().Decode("not a png"u8, "a1111 image 3"));
        Assert.Equal(EvaluationError.ImageInvalid, ex.Reason);
        Assert.StartsWith("a1111 image 3: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TruncatedPng_ImageInvalid()
    {
        var codec = new SkiaImageCodec();
        var png = codec.EncodePng(Gradient(64, 64));
        Assert.Throws<EvaluationException>(() => codec.Decode(png.AsSpan(0, png.Length / 2), "half.png"));
    }
}
