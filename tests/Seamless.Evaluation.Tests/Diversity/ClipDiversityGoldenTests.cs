using System.Text.Json;
using Seamless.Evaluation.Diversity;
using Seamless.Evaluation.Images;
using Seamless.Tagging.Onnx;
using Seamless.Tagging.Onnx.Fabrication;

namespace Seamless.Tests.Diversity;

/// <summary>
/// Diversity against an independent reference: Golden/clip_diversity.json, written by Golden/clip_diversity.py with
/// Debian's PIL and numpy (its command is in the script) — CLIP's preprocessing, a tiny encoder restated in numpy from
/// the same weights, and the benchmark's consecutive-pair rule. One 8-bit step of difference is allowed in the inputs:
/// PIL rounds its bicubic resampler with integer arithmetic.
/// </summary>
public sealed class ClipDiversityGoldenTests
{
    private static readonly JsonElement Golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Diversity", "Golden", "clip_diversity.json"))).RootElement;

    private static readonly JsonElement Encoder = Golden.GetProperty("encoder");

    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, Golden.GetProperty("cases").GetArrayLength())];

    private static float[] Floats(JsonElement e) => [.. e.EnumerateArray().Select(v => (float)v.GetDouble())];

    private static RgbaImage Image(int index)
    {
        var c = Golden.GetProperty("cases")[index];
        return new RgbaImage(c.GetProperty("width").GetInt32(), c.GetProperty("height").GetInt32(), [.. c.GetProperty("rgba").EnumerateArray().Select(v => (byte)v.GetInt32())]);
    }

    private static TinyEncoderWeights Weights() => new(
        Encoder.GetProperty("crop").GetInt32(), Encoder.GetProperty("pool").GetInt32(), Encoder.GetProperty("hidden").GetInt32(), Encoder.GetProperty("embed").GetInt32(),
        Floats(Encoder.GetProperty("w1")), Floats(Encoder.GetProperty("b1")), Floats(Encoder.GetProperty("w2")));

    private static OnnxImageEmbedder Open(TempFolder temp) =>
        OnnxImageEmbedder.Open(TinyEncoderBuilder.Write(temp.Path, Weights(), Encoder.GetProperty("shortest_edge").GetInt32()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Prepare_GoldenImage_MatchesClipProcessorWithinOneStep(int index)
    {
        var spec = EncoderSpec.Clip("unused") with { ShortestEdge = Encoder.GetProperty("shortest_edge").GetInt32(), CropSize = Encoder.GetProperty("crop").GetInt32() };
        var buffer = new float[3 * spec.CropSize * spec.CropSize];
        ClipPreprocessor.Write(ClipPreprocessor.Prepare(Image(index), spec), spec, buffer);

        var expected = Floats(Golden.GetProperty("cases")[index].GetProperty("input"));
        Assert.Equal(expected.Length, buffer.Length);
        var step = 1f / 255f / spec.Std.Min();
        var worst = expected.Zip(buffer, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= step * 1.01f, $"largest difference {worst} (one step is up to {step})");
    }

    [Fact]
    public void Run_GoldenInputs_GiveNumpysEmbeddings()
    {
        using var temp = new TempFolder();
        using var embedder = Open(temp);
        var cases = Golden.GetProperty("cases");
        var slot = 3 * embedder.Spec.CropSize * embedder.Spec.CropSize;
        var inputs = cases.EnumerateArray().SelectMany(c => Floats(c.GetProperty("input"))).ToArray();

        var embeddings = embedder.Run(inputs, cases.GetArrayLength());

        Assert.Equal(slot * cases.GetArrayLength(), inputs.Length);
        for (var i = 0; i < embeddings.Count; i++)
        {
            var expected = Floats(cases[i].GetProperty("embedding"));
            Assert.Equal(expected.Length, embeddings[i].Length);
            Assert.All(expected.Zip(embeddings[i]), p => Assert.True(Math.Abs(p.First - p.Second) < 1e-4, $"image {i}: {p.Second} against {p.First}"));
        }
    }

    [Fact]
    public async Task DiversityTally_GoldenImagesThroughOnnx_MatchesNumpysDiversity()
    {
        using var temp = new TempFolder();
        using var embedder = Open(temp);
        var tally = new DiversityTally();
        var similarities = new List<double>();
        foreach (var prompt in Golden.GetProperty("prompts").EnumerateArray())
        {
            var images = prompt.EnumerateArray().Select(i => Image(i.GetInt32())).ToList();
            var embeddings = await embedder.EmbedAsync(images, CancellationToken.None);
            similarities.AddRange(embeddings.Zip(embeddings.Skip(1), (a, b) => DiversityTally.Cosine(a, b)));
            tally.Add(embeddings);
        }

        var expected = Golden.GetProperty("similarities").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal(expected.Count, tally.Pairs);
        Assert.All(expected.Zip(similarities), p => Assert.True(Math.Abs(p.First - p.Second) < 2e-3, $"similarity {p.Second} against {p.First}"));
        Assert.Equal(Golden.GetProperty("diversity").GetDouble(), tally.Value!.Value, 3);
    }
}
