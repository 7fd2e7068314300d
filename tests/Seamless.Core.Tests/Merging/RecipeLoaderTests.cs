using Seamless.Errors;
using Seamless.Merging;
using Seamless.Safetensors;
using Seamless.Tests.TestSupport;

namespace Seamless.Tests.Merging;

public sealed class RecipeLoaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Recipe(string text)
    {
        foreach (var name in new[] { "a", "b", "c" })
        {
            File.WriteAllText(_temp.File(name + ".safetensors"), "x");
        }

        var path = _temp.File("recipe.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Load_IssueExample_ParsesAllDialects()
    {
        var recipe = RecipeLoader.Load(Recipe("""
            base: a.safetensors
            method: weighted_sum            # or add_difference
            output_dtype: fp16
            models:
              - path: b.safetensors
                weights: "0,0.1,0.1,0,0,0,0,0,0,0,0,0,0,0.2,0,0,0,0,0,0,0,0,0,0,0,0"
              - path: c.safetensors
                weights: {default: 0.05, IN04-IN08: 0.2, M00: -0.1}
            """));
        Assert.Equal(_temp.File("a.safetensors"), recipe.BasePath);
        Assert.Equal(DType.F16, recipe.OutputDType);
        Assert.Equal(26, recipe.Models[0].Weights.List!.Count);
        Assert.Equal(3, recipe.Models[1].Weights.Named!.Count);
    }

    [Fact]
    public void Load_Json_IsAccepted()
    {
        var recipe = RecipeLoader.Load(Recipe("""{"base": "a.safetensors", "method": "add_difference", "output_dtype": "bf16", "models": [{"path": "b.safetensors", "subtract": "c.safetensors", "weights": 0.5}]}"""));
        Assert.Equal("add_difference", recipe.Method);
        Assert.Equal(DType.BF16, recipe.OutputDType);
        Assert.Equal(_temp.File("c.safetensors"), recipe.Models[0].Subtract);
        Assert.Equal(3, recipe.InputPaths.Count);
    }

    [Fact]
    public void Load_ManyMistakes_AllReportedAtOnce()
    {
        var e = Assert.Throws<RecipeException>(() => RecipeLoader.Load(Recipe("""
            base: missing.safetensors
            method: averaging
            output_dtype: fp8
            colour: blue
            models:
              - path: b.safetensors
                wieghts: 0.1
              - path: gone.safetensors
                weights: "0.1,zz"
            """)));
        var all = string.Join("\n", e.Problems);
        Assert.Contains("missing.safetensors not found", all, StringComparison.Ordinal);
        Assert.Contains("unknown method 'averaging'", all, StringComparison.Ordinal);
        Assert.Contains("output_dtype 'fp8'", all, StringComparison.Ordinal);
        Assert.Contains("unknown key 'colour'", all, StringComparison.Ordinal);
        Assert.Contains("unknown key 'wieghts'", all, StringComparison.Ordinal);
        Assert.Contains("gone.safetensors not found", all, StringComparison.Ordinal);
        Assert.Contains("'zz'", all, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Load_AddDifferenceWithoutSubtract_Explains()
    {
        var e = Assert.Throws<RecipeException>(() => RecipeLoader.Load(Recipe("base: a.safetensors\nmethod: add_difference\nmodels:\n  - path: b.safetensors\n    weights: 1\n")));
        Assert.Contains("subtract", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BrokenYaml_NamesLine()
    {
        var e = Assert.Throws<RecipeException>(() => RecipeLoader.Load(Recipe("base: [a\nmodels: {")));
        Assert.Contains("line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BlockMapOptions_Read()
    {
        var recipe = RecipeLoader.Load(Recipe("base: a.safetensors\nblock_map: {time_embed: base, vae: own}\nmodels:\n  - path: b.safetensors\n    weights: 1\n"));
        Assert.Equal(Seamless.Architecture.TimeEmbedRule.Base, recipe.BlockMapOptions.TimeEmbed);
        Assert.Equal(Seamless.Architecture.VaeRule.Own, recipe.BlockMapOptions.Vae);
    }
}
