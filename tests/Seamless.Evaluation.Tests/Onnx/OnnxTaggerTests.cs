using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Images;
using Seamless.Evaluation.Tagging;
using Seamless.Tagging.Onnx;
using Seamless.Tagging.Onnx.Fabrication;

namespace Seamless.Tests.Onnx;

public class OnnxTaggerTests
{
    [Fact]
    public async Task TagAsync_WdTinyTagger_FindsPaintedTagsOnly()
    {
        using var dir = new TempFolder();
        var world = TinyModels.World();
        var spec = TinyTaggerBuilder.Write(world, dir.Path);
        using var tagger = OnnxTagger.Open(TaggerSpecLoader.Load(dir.Path));
        Assert.Equal(spec.ModelPath, tagger.Spec.ModelPath);
        Assert.Equal(64, tagger.InputSize);

        var probs = await tagger.TagAsync([TinyModels.Painted(world, 3), TinyModels.Painted(world, 7, 20)], CancellationToken.None);
        int Label(int t) => tagger.Labels.Find(world.Tags[t])!.Index;
        Assert.True(probs[0][Label(3)] > 0.99, $"painted tag scored {probs[0][Label(3)]}");
        Assert.True(probs[0][Label(7)] < 0.05);
        Assert.True(probs[1][Label(7)] > 0.9 && probs[1][Label(20)] > 0.9);
        Assert.True(probs[1][Label(3)] < 0.35);
    }

    [Fact]
    public async Task TagAsync_MlDanbooruLayoutOfSameWorld_SameProbabilities()
    {
        using var wdDir = new TempFolder();
        using var mlDir = new TempFolder();
        var world = TinyModels.World();
        TinyTaggerBuilder.Write(world, wdDir.Path, "wd");
        TinyTaggerBuilder.Write(world, mlDir.Path, "ml-danbooru");
        using var wd = OnnxTagger.Open(TaggerSpecLoader.Load(wdDir.Path));
        var mlSpec = TaggerSpecLoader.Load(mlDir.Path);
        Assert.Equal("ml-danbooru", mlSpec.Family);
        using var ml = OnnxTagger.Open(mlSpec with { Size = null });

        var images = new[] { TinyModels.Painted(world, 1, 2), TinyModels.Painted(world, 5) };
        var a = await wd.TagAsync(images, CancellationToken.None);
        var b = await ml.TagAsync(images, CancellationToken.None);
        for (var i = 0; i < images.Length; i++)
        {
            Assert.Equal(a[i], b[i], (x, y) => Math.Abs(x - y) < 1e-4);
        }
    }

    [Fact]
    public async Task TagAsync_ManyImagesAcrossBatches_SameAsOneByOne()
    {
        using var dir = new TempFolder();
        var world = TinyModels.World();
        TinyTaggerBuilder.Write(world, dir.Path);
        using var batched = OnnxTagger.Open(TaggerSpecLoader.Load(dir.Path), new OnnxTaggerOptions(BatchSize: 3));
        using var single = OnnxTagger.Open(TaggerSpecLoader.Load(dir.Path), new OnnxTaggerOptions(BatchSize: 1));
        var images = Enumerable.Range(0, 8).Select(i => TinyModels.Painted(world, i, i + 10)).ToArray();
        var a = await batched.TagAsync(images, CancellationToken.None);
        var b = await single.TagAsync(images, CancellationToken.None);
        Assert.Equal(8, a.Count);
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(a[i], b[i], (x, y) => Math.Abs(x - y) < 1e-5);
        }
    }

    [Fact]
    public async Task TagAsync_NonSquareTransparentImage_PreprocessedNotRejected()
    {
        using var dir = new TempFolder();
        var world = TinyModels.World();
        TinyTaggerBuilder.Write(world, dir.Path);
        using var tagger = OnnxTagger.Open(TaggerSpecLoader.Load(dir.Path));
        var probs = await tagger.TagAsync([RgbaImage.Filled(30, 70, 0, 0, 0, 0)], CancellationToken.None);
        Assert.Equal(tagger.Labels.Count, probs[0].Length);
    }

    [Fact]
    public void Open_LabelFileOfAnotherModel_ErrorNamesBothCounts()
    {
        using var dir = new TempFolder();
        var spec = TinyTaggerBuilder.Write(TinyModels.World(), dir.Path);
        File.WriteAllText(spec.LabelsPath, "tag_id,name,category,count\n1,a,0,1\n");
        var ex = Assert.Throws<EvaluationException>(() => OnnxTagger.Open(spec));
        Assert.Contains("1 labels but the model 'model.onnx' outputs 101 scores", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WrongLayout_ErrorSuggestsTheOtherOne()
    {
        using var dir = new TempFolder();
        var spec = TinyTaggerBuilder.Write(TinyModels.World(), dir.Path);
        var ex = Assert.Throws<EvaluationException>(() => OnnxTagger.Open(spec with { Layout = TensorLayout.Nchw }));
        Assert.Contains("set layout nhwc", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_CorruptModel_TaggerInvalidNamingFile()
    {
        using var dir = new TempFolder();
        var spec = TinyTaggerBuilder.Write(TinyModels.World(), dir.Path);
        File.WriteAllBytes(spec.ModelPath, [1, 2, 3, 4, 5]);
        var ex = Assert.Throws<EvaluationException>(() => OnnxTagger.Open(spec));
        Assert.Equal(EvaluationError.TaggerInvalid, ex.Reason);
        Assert.StartsWith(spec.ModelPath, ex.Message, StringComparison.Ordinal);
    }
}
