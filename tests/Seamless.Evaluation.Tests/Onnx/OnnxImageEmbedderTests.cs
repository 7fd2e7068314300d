using Seamless.Evaluation.Diversity;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Images;
using Seamless.Evaluation.Tagging;
using Seamless.Tagging.Onnx;
using Seamless.Tagging.Onnx.Fabrication;

namespace Seamless.Tests.Onnx;

public sealed class OnnxImageEmbedderTests
{
    [Fact]
    public void Open_CropDifferentFromTheModelsInput_IsRefusedWithBothSizes()
    {
        using var temp = new TempFolder();
        var spec = TinyEncoderBuilder.Write(temp.Path, TinyEncoderWeights.Random(1), 16) with { CropSize = 12, ShortestEdge = 12 };

        var ex = Assert.Throws<EvaluationException>(() => OnnxImageEmbedder.Open(spec));

        Assert.Equal(EvaluationError.EncoderInvalid, ex.Reason);
        Assert.Contains("[N,3,12,12]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ATaggerInsteadOfAnEncoder_IsRefused()
    {
        using var temp = new TempFolder();
        var tagger = TinyTaggerBuilder.Write(TinyModels.World(), temp.Path, "wd");

        var ex = Assert.Throws<EvaluationException>(() => OnnxImageEmbedder.Open(EncoderSpec.Clip(tagger.ModelPath)));

        Assert.Equal(EvaluationError.EncoderInvalid, ex.Reason);
    }

    [Fact]
    public void Open_NotOnnx_NamesTheFile()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("model.onnx"), "not a model");

        var ex = Assert.Throws<EvaluationException>(() => OnnxImageEmbedder.Open(EncoderSpec.Clip(temp.File("model.onnx"))));

        Assert.Contains("model.onnx", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbedAsync_MoreImagesThanABatch_KeepsOrderAndMatchesOneByOne()
    {
        using var temp = new TempFolder();
        using var embedder = OnnxImageEmbedder.Open(TinyEncoderBuilder.Write(temp.Path, TinyEncoderWeights.Random(2), 20), new OnnxTaggerOptions(BatchSize: 3));
        var images = Enumerable.Range(0, 7).Select(i => RgbaImage.Filled(20 + i, 30, (byte)(i * 30), (byte)(255 - (i * 20)), 90)).ToList();

        var all = await embedder.EmbedAsync(images, CancellationToken.None);

        Assert.Equal(7, all.Count);
        for (var i = 0; i < images.Count; i++)
        {
            var one = await embedder.EmbedAsync([images[i]], CancellationToken.None);
            Assert.Equal(one[0], all[i]);
        }

        Assert.NotEqual(all[0], all[6]);
    }
}
