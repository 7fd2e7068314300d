using Seamless.Evaluation.Diversity;
using Seamless.Evaluation.Images;

namespace Seamless.Tests.Diversity;

public sealed class ClipPreprocessorTests
{
    [Theory]
    [InlineData(512, 512, 224, 224, 224)]
    [InlineData(512, 768, 224, 224, 336)]
    [InlineData(768, 512, 224, 336, 224)]
    [InlineData(1000, 333, 224, 672, 224)] // int(224 · 1000 / 333) = 672.67 → 672
    public void ResizedSize_ShortSideToEdge_LongSideTruncated(int w, int h, int edge, int ew, int eh) =>
        Assert.Equal((ew, eh), ClipPreprocessor.ResizedSize(w, h, edge));

    [Fact]
    public void Crop_OddMargin_TakesTheFloorOnTopAndLeft()
    {
        // 5×4 image whose red channel is the column index and green the row: a 3² crop starts at (left 1, top 0).
        var px = new byte[5 * 4 * 4];
        for (var y = 0; y < 4; y++)
        {
            for (var x = 0; x < 5; x++)
            {
                px[((y * 5) + x) * 4] = (byte)x;
                px[(((y * 5) + x) * 4) + 1] = (byte)y;
            }
        }

        var crop = ClipPreprocessor.Crop(new RgbaImage(5, 4, px), 3);

        Assert.Equal((byte)1, crop.Pixels[0]);
        Assert.Equal((byte)0, crop.Pixels[1]);
        Assert.Equal((byte)3, crop.Pixels[((2 * 3) + 2) * 4]);
        Assert.Equal((byte)2, crop.Pixels[(((2 * 3) + 2) * 4) + 1]);
    }

    [Fact]
    public void Crop_LargerThanImage_Throws() =>
        Assert.Throws<ArgumentException>(() => ClipPreprocessor.Crop(RgbaImage.Filled(4, 8, 0, 0, 0), 5));

    [Fact]
    public void Write_Normalises_EachChannelByItsMeanAndStd()
    {
        var spec = EncoderSpec.Clip("unused") with { CropSize = 1, ShortestEdge = 1 };
        var buffer = new float[3];

        ClipPreprocessor.Write(RgbaImage.Filled(1, 1, 255, 0, 51, 7), spec, buffer);

        Assert.Equal((1 - 0.48145466f) / 0.26862954f, buffer[0], 5);
        Assert.Equal(-0.4578275f / 0.26130258f, buffer[1], 5);
        Assert.Equal((0.2f - 0.40821073f) / 0.27577711f, buffer[2], 5);
    }
}
