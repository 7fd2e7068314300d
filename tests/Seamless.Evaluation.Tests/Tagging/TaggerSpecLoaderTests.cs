using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Images;
using Seamless.Evaluation.Tagging;

namespace Seamless.Tests.Tagging;

public class TaggerSpecLoaderTests
{
    [Fact]
    public void Load_WdFolder_WdPreset()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("model.onnx"), "x");
        File.WriteAllText(dir.File("selected_tags.csv"), "x");
        var spec = TaggerSpecLoader.Load(dir.Path);
        Assert.Equal("wd", spec.Family);
        Assert.True(spec.Bgr);
        Assert.Equal(TensorLayout.Nhwc, spec.Layout);
        Assert.Null(spec.Size);
    }

    [Fact]
    public void Load_MlDanbooruFolder_MlDanbooruPreset()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("ml_caformer_m36_dec-5-97527.onnx"), "x");
        File.WriteAllText(dir.File("classes.json"), "[]");
        var spec = TaggerSpecLoader.Load(dir.Path);
        Assert.Equal("ml-danbooru", spec.Family);
        Assert.True(spec.Logits);
        Assert.Equal(0.7, spec.GeneralThreshold);
        Assert.Equal(TensorLayout.Nchw, spec.Layout);
    }

    [Fact]
    public void Load_SpecFile_OverridesPresetAndResolvesRelativePaths()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.File("m"));
        File.WriteAllText(dir.File("m/tagger.onnx"), "x");
        File.WriteAllText(dir.File("m/tags.csv"), "x");
        File.WriteAllText(dir.File("tagger.json"), """
            { "model": "m/tagger.onnx", "labels": "m/tags.csv", "preset": "wd", "size": 384, "resize": "bilinear",
              "color_order": "rgb", "general_threshold": 0.5, "mean": [0.5,0.5,0.5], "std": [0.5,0.5,0.5], "output": "logits" }
            """);
        var spec = TaggerSpecLoader.Load(dir.Path);
        Assert.Equal(dir.File("m/tagger.onnx"), spec.ModelPath);
        Assert.Equal(384, spec.Size);
        Assert.Equal(ResizeFilter.Bilinear, spec.Resize);
        Assert.False(spec.Bgr);
        Assert.True(spec.Logits);
        Assert.Equal(0.5, spec.GeneralThreshold);
        Assert.Equal(0.85, spec.CharacterThreshold);
    }

    [Fact]
    public void Load_SpecWithProblems_AllNamedInOneError()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("tagger.json"), "{ \"model\": \"none.onnx\", \"labels\": \"none.csv\", \"preset\": \"clip\", \"std\": [1, 0] }");
        var ex = Assert.Throws<EvaluationException>(() => TaggerSpecLoader.Load(dir.Path));
        Assert.Contains("model 'none.onnx' not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains("labels 'none.csv' not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unknown preset 'clip'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("three values", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FolderWithoutLabels_SaysWhichFilesAreExpected()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("model.onnx"), "x");
        var ex = Assert.Throws<EvaluationException>(() => TaggerSpecLoader.Load(dir.Path));
        Assert.Contains("selected_tags.csv", ex.Message, StringComparison.Ordinal);
        Assert.Contains("classes.json", ex.Message, StringComparison.Ordinal);
    }
}
