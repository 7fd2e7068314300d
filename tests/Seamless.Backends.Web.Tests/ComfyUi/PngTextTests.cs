using System.Buffers.Binary;
using Seamless.Backends.Web.ComfyUi;
using Seamless.Evaluation.Images;
using Seamless.Imaging;

namespace Seamless.Tests.ComfyUi;

public sealed class PngTextTests
{
    private static readonly byte[] Plain = new SkiaImageCodec().EncodePng(RgbaImage.Filled(4, 4, 1, 2, 3));

    [Theory]
    [InlineData("prompt", "{\"4\": {\"class_type\": \"CheckpointLoaderSimple\"}}")]
    [InlineData("prompt", "1girl, café, ünïcode, 東方")]
    [InlineData("k", "")]
    public void With_ThenRead_RoundTrips(string key, string text)
    {
        var png = PngText.With(Plain, key, text);
        Assert.Equal(text, PngText.Read(png)[key]);
        Assert.Equal(4, new SkiaImageCodec().Decode(png, "with text").Width);
    }

    [Fact]
    public void Read_RandomTexts_RoundTripAndKeepTheFirstOfEachKey()
    {
        var random = new Random(3);
        for (var i = 0; i < 50; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 300)).Select(_ => (char)random.Next(32, 0x3000)).Where(c => !char.IsSurrogate(c)).ToArray());
            var png = PngText.With(PngText.With(Plain, "prompt", text), "prompt", "second");
            Assert.Equal(text, PngText.Read(png)["prompt"]);
        }
    }

    [Fact]
    public void Read_CompressedInternationalText_Inflated()
    {
        // iTXt with the compression flag set, as PIL writes with zip=True.
        using var buffer = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(buffer, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(System.Text.Encoding.UTF8.GetBytes("{\"a\": \"東\"}"));
        }

        byte[] body = [.. "prompt"u8, 0, 1, 0, 0, 0, .. buffer.ToArray()];
        var chunk = new byte[12 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)body.Length);
        "iTXt"u8.CopyTo(chunk.AsSpan(4));
        body.CopyTo(chunk, 8);
        byte[] png = [.. Plain[..^12], .. chunk, .. Plain[^12..]];
        Assert.Equal("{\"a\": \"東\"}", PngText.Read(png)["prompt"]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(40)]
    public void Read_TruncatedOrNotAPng_NoTextAndNoException(int cut)
    {
        var png = PngText.With(Plain, "prompt", "x");
        Assert.Empty(PngText.Read(png.AsSpan(0, cut)));
        Assert.Empty(PngText.Read("GIF89a-not-a-png"u8));

        // A chunk whose declared length runs past the end: reading stops there.
        var broken = (byte[])png.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(broken.AsSpan(8), 0x7FFFFFF0);
        Assert.Empty(PngText.Read(broken));
    }
}
