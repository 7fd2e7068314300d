using Seamless.Evaluation.Images;
using Seamless.Evaluation.Tagging;

namespace Seamless.Tests.Tagging;

public class TaggerPreprocessorTests
{
    [Fact]
    public void CompositeOnWhite_TransparentAndHalf_BlendsWithWhite()
    {
        var img = new RgbaImage(2, 1, [10, 20, 30, 0, 0, 0, 0, 128]);
        var flat = TaggerPreprocessor.CompositeOnWhite(img);
        Assert.Equal(new byte[] { 255, 255, 255, 255, 127, 127, 127, 255 }, flat.Pixels);
    }

    [Fact]
    public void PadToSquare_WideImage_CentredOnWhite()
    {
        var img = RgbaImage.Filled(4, 2, 0, 0, 0);
        var sq = TaggerPreprocessor.PadToSquare(img);
        Assert.Equal(4, sq.Height);
        Assert.Equal(255, sq.Pixels[0]);                 // row 0 is padding
        Assert.Equal(0, sq.Pixels[((1 * 4) + 0) * 4]);  // row 1 is the image
        Assert.Equal(255, sq.Pixels[((3 * 4) + 0) * 4]); // row 3 is padding
    }

    [Fact]
    public void Write_WdSpec_NhwcBgrRaw()
    {
        var img = new RgbaImage(1, 2, [1, 2, 3, 255, 4, 5, 6, 255]);
        var spec = TaggerSpec.Wd("m", "l");
        var buffer = new float[6];
        TaggerPreprocessor.Write(img, spec, buffer);
        Assert.Equal(new float[] { 3, 2, 1, 6, 5, 4 }, buffer);
    }

    [Fact]
    public void Write_MlDanbooruSpecWithMeanStd_NchwRgbNormalised()
    {
        var img = new RgbaImage(1, 2, [255, 0, 51, 255, 0, 255, 102, 255]);
        var spec = TaggerSpec.MlDanbooru("m", "l") with { Mean = [0.5f, 0.5f, 0.5f], Std = [0.5f, 0.5f, 0.5f] };
        var buffer = new float[6];
        TaggerPreprocessor.Write(img, spec, buffer);
        var expected = new float[] { 1, -1, -1, 1, (51 / 255f * 2) - 1, (102 / 255f * 2) - 1 };
        Assert.Equal(expected, buffer, (a, b) => Math.Abs(a - b) < 1e-5);
    }
}
