using Seamless.Evaluation.Diversity;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Images;

namespace Seamless.Tests.Diversity;

public sealed class EncoderSpecLoaderTests
{
    private static string Folder(TempFolder temp, string? config, string model = "model.onnx")
    {
        var path = temp.File(model);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [0]);
        if (config is not null)
        {
            File.WriteAllText(temp.File(EncoderSpecLoader.PreprocessorFileName), config);
        }

        return temp.Path;
    }

    [Fact]
    public void Load_FolderWithoutConfig_AssumesClipVitB32()
    {
        using var temp = new TempFolder();
        var spec = EncoderSpecLoader.Load(Folder(temp, null));

        Assert.Equal(temp.File("model.onnx"), spec.ModelPath);
        Assert.Equal((224, 224, ResizeFilter.Bicubic), (spec.ShortestEdge, spec.CropSize, spec.Resize));
        Assert.Equal(0.26862954f, spec.Std[0]);
    }

    [Fact]
    public void Load_TransformersJsLayout_FindsTheVisionModel()
    {
        using var temp = new TempFolder();
        var spec = EncoderSpecLoader.Load(Folder(temp, "{\"size\": 224, \"crop_size\": 224, \"resample\": 3}", Path.Combine("onnx", "vision_model.onnx")));

        Assert.Equal(temp.File(Path.Combine("onnx", "vision_model.onnx")), spec.ModelPath);
    }

    [Fact]
    public void Load_NewerConfigForm_ReadsEdgeCropMeanStdAndFilter()
    {
        using var temp = new TempFolder();
        var spec = EncoderSpecLoader.Load(Folder(temp, """
            {"size": {"shortest_edge": 40}, "crop_size": {"height": 32, "width": 32}, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.25, 0.5, 1], "resample": 2}
            """));

        Assert.Equal((40, 32, ResizeFilter.Bilinear), (spec.ShortestEdge, spec.CropSize, spec.Resize));
        Assert.Equal([0.25f, 0.5f, 1f], spec.Std);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("{\"crop_size\": {\"height\": 32, \"width\": 16}}", "only square crops")]
    [InlineData("{\"size\": 16, \"crop_size\": 32}", "larger than the resized short side")]
    [InlineData("{\"size\": -3}", "not a side in pixels")]
    [InlineData("{\"image_mean\": [0.5, 0.5]}", "must be 3 numbers")]
    [InlineData("{\"image_std\": [0.5, 0, 0.5]}", "image_std must be positive")]
    [InlineData("{\"resample\": 1}", "resample 1 is not supported")]
    [InlineData("{\"do_center_crop\": false}", "do_center_crop is false")]
    public void Load_HostileConfig_NamesTheFileAndTheProblem(string config, string expected)
    {
        using var temp = new TempFolder();
        var ex = Assert.Throws<EvaluationException>(() => EncoderSpecLoader.Load(Folder(temp, config)));

        Assert.Equal(EvaluationError.EncoderInvalid, ex.Reason);
        Assert.Contains(EncoderSpecLoader.PreprocessorFileName, ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FolderWithoutModel_SaysHowToFetchOne()
    {
        using var temp = new TempFolder();
        var ex = Assert.Throws<EvaluationException>(() => EncoderSpecLoader.Load(temp.Path));

        Assert.Contains("seamless encoder fetch", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingPath_Throws()
    {
        using var temp = new TempFolder();
        var ex = Assert.Throws<EvaluationException>(() => EncoderSpecLoader.Load(temp.File("nope")));

        Assert.Contains("no such image encoder", ex.Message, StringComparison.Ordinal);
    }
}
