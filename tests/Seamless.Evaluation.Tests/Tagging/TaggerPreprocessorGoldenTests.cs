using System.Text.Json;
using Seamless.Evaluation.Images;
using Seamless.Evaluation.Tagging;

namespace Seamless.Tests.Tagging;

/// <summary>
/// Tagger inputs against an independent reference: Golden/tagger_inputs.json, written by Golden/tagger_inputs.py from
/// each family's reference preprocessing with Debian's PIL and numpy (its command is in the script). Differences of
/// one 8-bit step are allowed: PIL composites alpha and rounds its resampler with integer arithmetic.
/// </summary>
public sealed class TaggerPreprocessorGoldenTests
{
    private static readonly JsonElement Golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Tagging", "Golden", "tagger_inputs.json"))).RootElement;

    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, Golden.GetProperty("cases").GetArrayLength())];

    private static (RgbaImage Image, int Size, JsonElement Case) Case(int index)
    {
        var c = Golden.GetProperty("cases")[index];
        var pixels = c.GetProperty("rgba").EnumerateArray().Select(v => (byte)v.GetInt32()).ToArray();
        return (new RgbaImage(c.GetProperty("width").GetInt32(), c.GetProperty("height").GetInt32(), pixels), c.GetProperty("size").GetInt32(), c);
    }

    private static float[] Input(RgbaImage image, TaggerSpec spec, int size)
    {
        var buffer = new float[size * size * 3];
        TaggerPreprocessor.Write(TaggerPreprocessor.Prepare(image, spec, size), spec, buffer);
        return buffer;
    }

    private static void AssertClose(float[] expected, float[] actual, float step, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= step * 1.01f, $"{what}: largest difference {worst} (one step is {step})");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Wd_PadBicubicBgr_AsTheReference(int index)
    {
        var (image, size, c) = Case(index);
        var expected = c.GetProperty("wd").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        AssertClose(expected, Input(image, TaggerSpec.Wd("m.onnx", "l.csv"), size), 1f, $"WD case {index}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MlDanbooru_StretchBilinearRgbUnitRange_AsTheReference(int index)
    {
        var (image, size, c) = Case(index);
        var expected = c.GetProperty("ml_danbooru").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        AssertClose(expected, Input(image, TaggerSpec.MlDanbooru("m.onnx", "l.json"), size), 1f / 255, $"ML-Danbooru case {index}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void KeepRatioSize_AsTheReference(int index)
    {
        var (image, size, c) = Case(index);
        var shape = c.GetProperty("keep_ratio_shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        Assert.Equal((shape[1], shape[0]), TaggerPreprocessor.KeepRatioSize(image.Width, image.Height, size));
    }
}
