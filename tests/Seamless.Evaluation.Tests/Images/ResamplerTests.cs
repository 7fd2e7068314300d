using CsCheck;
using Seamless.Evaluation.Images;

namespace Seamless.Tests.Images;

public class ResamplerTests
{
    private static RgbaImage Row(params byte[] values)
    {
        var px = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            px[i * 4] = px[(i * 4) + 1] = px[(i * 4) + 2] = values[i];
            px[(i * 4) + 3] = 255;
        }

        return new RgbaImage(values.Length, 1, px);
    }

    [Fact]
    public void Resize_BilinearHalving_AntialiasedWeightsByHand()
    {
        // Output 0 has centre 1.0 in input units; the triangle is stretched ×2: taps 0,1,2 weigh .75,.75,.25.
        var result = Resampler.Resize(Row(0, 100, 200, 250), 2, 1, ResizeFilter.Bilinear);
        Assert.Equal((byte)Math.Round(((100 * .75) + (200 * .25)) / 1.75), result.Pixels[0]);

        // Output 1 has centre 3.0: taps 1,2,3 weigh .25,.75,.75.
        Assert.Equal((byte)Math.Round(((100 * .25) + (200 * .75) + (250 * .75)) / 1.75), result.Pixels[4]);
    }

    [Theory]
    [InlineData(ResizeFilter.Bilinear)]
    [InlineData(ResizeFilter.Bicubic)]
    public void Resize_ConstantImage_StaysConstant(ResizeFilter filter)
    {
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 40], Gen.Int[1, 40], Gen.Int[1, 40], Gen.Byte).Sample((w, h, w2, h2, v) =>
        {
            var result = Resampler.Resize(RgbaImage.Filled(w, h, v, v, v), w2, h2, filter);
            Assert.All(result.Pixels.Where((_, i) => i % 4 != 3), p => Assert.Equal(v, p));
        });
    }

    [Fact]
    public void Resize_BicubicOvershoot_ClampedToBytes()
    {
        var result = Resampler.Resize(Row(0, 0, 255, 255, 0, 0, 255, 255), 16, 1, ResizeFilter.Bicubic);
        Assert.Equal(16, result.Width);
        Assert.Contains(result.Pixels.Where((_, i) => i % 4 == 0), p => p == 255);
    }

    [Fact]
    public void Weights_EveryOutput_SumsToOne()
    {
        foreach (var filter in new[] { ResizeFilter.Bilinear, ResizeFilter.Bicubic })
        {
            foreach (var (a, b) in new[] { (1024, 448), (448, 1024), (512, 448), (7, 3) })
            {
                Assert.All(Resampler.Weights(a, b, filter), w => Assert.Equal(1f, w.Weights.Sum(), 4));
            }
        }
    }
}
