using System.Security.Cryptography;
using System.Text.Json;
using Seamless.Errors;
using Seamless.Hashing;
using Seamless.Merging;
using Seamless.Numerics;
using Seamless.Safetensors;
using Seamless.Tests.TestSupport;

namespace Seamless.Tests.Merging;

public sealed class CheckpointMergerTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private CheckpointMerger Merger(int chunk = 1 << 16) => new(new FileHasher(_temp.File("cache")), new MergeExecutorOptions(2, chunk));

    // The rule written out independently of blockmap.json, for the keys CheckpointBuilder uses.
    private static string ExpectedBlock(string key)
    {
        var parts = key.Split('.');
        if (!key.StartsWith("model.diffusion_model.", StringComparison.Ordinal))
        {
            return "BASE";
        }

        return parts[2] switch
        {
            "time_embed" or "label_emb" => "IN00",
            "input_blocks" => "IN" + int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture).ToString("00", System.Globalization.CultureInfo.InvariantCulture),
            "middle_block" => "M00",
            "output_blocks" => "OUT" + int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture).ToString("00", System.Globalization.CultureInfo.InvariantCulture),
            "out" => "OUT11",
            _ => throw new InvalidOperationException(key),
        };
    }

    private static float[] ReadFloats(SafetensorsFile file, string key)
    {
        var info = file[key];
        var values = new float[info.ElementCount];
        var bytes = file.ReadAll(info);
        var size = info.DType.Size();
        for (var i = 0; i < values.Length; i++)
        {
            var bits = BitConverter.ToUInt16(bytes, i * size);
            values[i] = info.DType switch
            {
                DType.F16 => ScalarConvert.HalfToSingle(bits),
                DType.BF16 => ScalarConvert.BFloat16ToSingle(bits),
                DType.F32 => BitConverter.ToSingle(bytes, i * 4),
                _ => throw new InvalidOperationException(),
            };
        }

        return values;
    }

    private static void AssertWithinOneHalfUlp(double expected, float actual, string what)
    {
        var e = ScalarConvert.SingleToHalf((float)expected);
        var a = ScalarConvert.SingleToHalf(actual);
        Assert.True(Math.Abs(e - a) <= 1, $"{what}: expected {expected}, got {actual}");
    }

    [Fact]
    public void Merge_WeightedSumMixedDtypes_MatchesScalarReferenceWithinFp16Rounding()
    {
        var a = CheckpointBuilder.Random(CheckpointBuilder.Sd1Keys, 1, DType.F16, 5, 7)
            .AddRaw("cond_stage_model.transformer.text_model.embeddings.position_ids", DType.I64, [1, 3], [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0])
            .Write(_temp.File("a.safetensors"));
        var b = CheckpointBuilder.Random(CheckpointBuilder.Sd1Keys, 2, DType.BF16, 5, 7).Write(_temp.File("b.safetensors"));
        var c = CheckpointBuilder.Random(CheckpointBuilder.Sd1Keys, 3, DType.F32, 5, 7).Write(_temp.File("c.safetensors"));
        var wb = WeightSpec.Parse(string.Join(",", Enumerable.Range(0, 26).Select(i => (i % 5 * 0.1 - 0.05).ToString(System.Globalization.CultureInfo.InvariantCulture))), null, []);
        var wc = WeightSpec.Parse("default=0.05, IN04-IN08=0.2, M00=-0.1, OUT11=0.55", null, []);
        var recipe = new MergeRecipe(a, "weighted_sum", [new RecipeModel(b, wb), new RecipeModel(c, wc)]);
        var output = _temp.File("m.safetensors");

        // A chunk of 4 elements splits every 35-element tensor across chunks.
        var result = Merger(chunk: 4).Merge(recipe, output);

        using var fa = SafetensorsFile.Open(a);
        using var fb = SafetensorsFile.Open(b);
        using var fc = SafetensorsFile.Open(c);
        using var fm = SafetensorsFile.Open(output);
        var problems = new List<string>();
        var layout = result.Plan.BlockMap.Layout;
        var weightsB = wb.Resolve(layout, problems)!;
        var weightsC = wc.Resolve(layout, problems)!;
        foreach (var key in CheckpointBuilder.Sd1Keys)
        {
            var block = ExpectedBlock(key);
            double w1 = weightsB[block], w2 = weightsC[block];
            var (xa, xb, xc, xm) = (ReadFloats(fa, key), ReadFloats(fb, key), ReadFloats(fc, key), ReadFloats(fm, key));
            Assert.Equal(DType.F16, fm[key].DType);
            for (var i = 0; i < xa.Length; i++)
            {
                AssertWithinOneHalfUlp(((1 - w1 - w2) * xa[i]) + (w1 * xb[i]) + (w2 * xc[i]), xm[i], $"{key}[{i}] ({block})");
            }
        }

        var ids = fm["cond_stage_model.transformer.text_model.embeddings.position_ids"];
        Assert.Equal(DType.I64, ids.DType);
        Assert.Equal(fa.ReadAll(fa[ids.Name]), fm.ReadAll(ids));
        Assert.Equal(fa.Tensors.Select(t => t.Name), fm.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void Merge_AddDifference_MatchesFormula()
    {
        var keys = CheckpointBuilder.Sd1Keys;
        var a = CheckpointBuilder.Random(keys, 1).Write(_temp.File("a.safetensors"));
        var b = CheckpointBuilder.Random(keys, 2).Write(_temp.File("b.safetensors"));
        var c = CheckpointBuilder.Random(keys, 3).Write(_temp.File("c.safetensors"));
        var recipe = new MergeRecipe(a, "add_difference", [new RecipeModel(b, WeightSpec.FromUniform(0.7), c)], DType.F32);
        var output = _temp.File("m.safetensors");
        Merger().Merge(recipe, output);
        using var fa = SafetensorsFile.Open(a);
        using var fb = SafetensorsFile.Open(b);
        using var fc = SafetensorsFile.Open(c);
        using var fm = SafetensorsFile.Open(output);
        foreach (var key in keys)
        {
            var (xa, xb, xc, xm) = (ReadFloats(fa, key), ReadFloats(fb, key), ReadFloats(fc, key), ReadFloats(fm, key));
            for (var i = 0; i < xa.Length; i++)
            {
                Assert.Equal(xa[i] + (0.7f * (xb[i] - xc[i])), xm[i], 1e-6f);
            }
        }
    }

    [Fact]
    public void Merge_Bf16Output_IsRoundedToNearestEven()
    {
        var keys = CheckpointBuilder.Sd1Keys;
        var a = CheckpointBuilder.Random(keys, 1, DType.F32).Write(_temp.File("a.safetensors"));
        var b = CheckpointBuilder.Random(keys, 2, DType.F32).Write(_temp.File("b.safetensors"));
        var output = _temp.File("m.safetensors");
        Merger().Merge(new MergeRecipe(a, "weighted_sum", [new RecipeModel(b, WeightSpec.FromUniform(0.25))], DType.BF16), output);
        using var fa = SafetensorsFile.Open(a);
        using var fb = SafetensorsFile.Open(b);
        using var fm = SafetensorsFile.Open(output);
        var key = keys[3];
        var (xa, xb) = (ReadFloats(fa, key), ReadFloats(fb, key));
        var raw = fm.ReadAll(fm[key]);
        for (var i = 0; i < xa.Length; i++)
        {
            Assert.Equal(ScalarConvert.SingleToBFloat16((0.75f * xa[i]) + (0.25f * xb[i])), BitConverter.ToUInt16(raw, 2 * i));
        }
    }

    [Fact]
    public void Merge_KeyMissingFromModel_TakenFromBaseWithWarning()
    {
        var keys = CheckpointBuilder.Sd1Keys;
        var a = CheckpointBuilder.Random(keys, 1).Write(_temp.File("a.safetensors"));
        var b = CheckpointBuilder.Random(keys.Where(k => !k.Contains("middle_block", StringComparison.Ordinal)), 2).Write(_temp.File("b.safetensors"));
        var output = _temp.File("m.safetensors");
        var result = Merger().Merge(new MergeRecipe(a, "weighted_sum", [new RecipeModel(b, WeightSpec.FromUniform(0.5))]), output);
        var warning = Assert.Single(result.Plan.Warnings);
        Assert.Contains("middle_block", warning, StringComparison.Ordinal);
        Assert.Contains("b.safetensors", warning, StringComparison.Ordinal);
        using var fa = SafetensorsFile.Open(a);
        using var fm = SafetensorsFile.Open(output);
        var key = keys.First(k => k.Contains("middle_block", StringComparison.Ordinal));
        Assert.Equal(fa.ReadAll(fa[key]), fm.ReadAll(fm[key]));
    }

    [Fact]
    public void Merge_ShapeMismatch_NamesKeyAndBothShapes()
    {
        var keys = CheckpointBuilder.Sd1Keys;
        var a = CheckpointBuilder.Random(keys, 1).Write(_temp.File("a.safetensors"));
        var b = CheckpointBuilder.Random(keys, 2, rows: 4, cols: 5).Write(_temp.File("b.safetensors"));
        var output = _temp.File("m.safetensors");
        var e = Assert.Throws<CheckpointException>(() => Merger().Merge(new MergeRecipe(a, "weighted_sum", [new RecipeModel(b, WeightSpec.FromUniform(0.5))]), output));
        Assert.Equal(CheckpointError.ShapeMismatch, e.Reason);
        Assert.Contains("[4, 3]", e.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 5]", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Merge_Sd1WithSdxl_ArchitectureMismatch()
    {
        var a = CheckpointBuilder.Random(CheckpointBuilder.Sd1Keys, 1).Write(_temp.File("a.safetensors"));
        var b = CheckpointBuilder.Random(CheckpointBuilder.SdxlKeys, 2).Write(_temp.File("xl.safetensors"));
        var e = Assert.Throws<CheckpointException>(() => Merger().Merge(new MergeRecipe(a, "weighted_sum", [new RecipeModel(b, WeightSpec.FromUniform(0.5))]), _temp.File("m.safetensors")));
        Assert.Equal(CheckpointError.ArchitectureMismatch, e.Reason);
        Assert.Contains("SDXL", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_OutputIsAnInput_RefusedAndInputUntouched()
    {
        var a = CheckpointBuilder.Random(CheckpointBuilder.Sd1Keys, 1).Write(_temp.File("a.safetensors"));
        var b = CheckpointBuilder.Random(CheckpointBuilder.Sd1Keys, 2).Write(_temp.File("b.safetensors"));
        var before = File.ReadAllBytes(b);
        Assert.Throws<RecipeException>(() => Merger().Merge(new MergeRecipe(a, "weighted_sum", [new RecipeModel(b, WeightSpec.FromUniform(0.5))]), b));
        Assert.Equal(before, File.ReadAllBytes(b));
    }

    [Fact]
    public void Merge_Cancelled_LeavesNoOutputOrTempFile()
    {
        var a = CheckpointBuilder.Random(CheckpointBuilder.Sd1Keys, 1).Write(_temp.File("a.safetensors"));
        var b = CheckpointBuilder.Random(CheckpointBuilder.Sd1Keys, 2).Write(_temp.File("b.safetensors"));
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Merger().Merge(new MergeRecipe(a, "weighted_sum", [new RecipeModel(b, WeightSpec.FromUniform(0.5))]), _temp.File("m.safetensors"), null, cancel.Token));
        Assert.Equal(["a.safetensors", "b.safetensors"], Directory.GetFiles(_temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Merge_Metadata_RecordsRecipeHashesAndA1111Fields()
    {
        var a = CheckpointBuilder.Random(CheckpointBuilder.Sd1Keys, 1).Write(_temp.File("a.safetensors"));
        var b = CheckpointBuilder.Random(CheckpointBuilder.Sd1Keys, 2).Meta("sd_merge_recipe", "{\"type\":\"webui\"}").Write(_temp.File("b.safetensors"));
        var output = _temp.File("m.safetensors");
        Merger().Merge(new MergeRecipe(a, "weighted_sum", [new RecipeModel(b, WeightSpec.Parse("M00=0.3", null, []))]), output);
        using var fm = SafetensorsFile.Open(output);
        var shaB = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(b)));
        using var recipe = JsonDocument.Parse(fm.Metadata[MergeMetadata.RecipeKey]);
        var model = recipe.RootElement.GetProperty("models")[0];
        Assert.Equal(shaB, model.GetProperty("sha256").GetString());
        Assert.Equal(0.3, model.GetProperty("weights").GetProperty("M00").GetDouble());
        Assert.Equal(0, model.GetProperty("sd_meh").GetProperty("base_alpha").GetDouble());
        Assert.Equal(25, model.GetProperty("sd_meh").GetProperty("weights").GetString()!.Split(',').Length);
        Assert.Equal("SD1", recipe.RootElement.GetProperty("architecture").GetString());
        Assert.Contains("IN00", recipe.RootElement.GetProperty("block_map").GetProperty("rule").GetString(), StringComparison.Ordinal);
        using var models = JsonDocument.Parse(fm.Metadata[MergeMetadata.A1111ModelsKey]);
        Assert.Equal("b.safetensors", models.RootElement.GetProperty(shaB).GetProperty("name").GetString());
        Assert.Equal("webui", models.RootElement.GetProperty(shaB).GetProperty("sd_merge_recipe").GetProperty("type").GetString());
        using var a1111 = JsonDocument.Parse(fm.Metadata[MergeMetadata.A1111RecipeKey]);
        Assert.Equal(shaB[..10], a1111.RootElement.GetProperty("secondary_model_hash").GetString());
    }

    [Fact]
    public void Merge_ZeroWeights_CopiesBaseBytesExactly()
    {
        var a = CheckpointBuilder.Random(CheckpointBuilder.Sd1Keys, 1).Write(_temp.File("a.safetensors"));
        var b = CheckpointBuilder.Random(CheckpointBuilder.Sd1Keys, 2).Write(_temp.File("b.safetensors"));
        var output = _temp.File("m.safetensors");
        var result = Merger().Merge(new MergeRecipe(a, "weighted_sum", [new RecipeModel(b, WeightSpec.FromUniform(0))]), output);
        Assert.All(result.Plan.Tensors, t => Assert.True(t.RawCopy));
        using var fa = SafetensorsFile.Open(a);
        using var fm = SafetensorsFile.Open(output);
        Assert.All(fa.Tensors, t => Assert.Equal(fa.ReadAll(t), fm.ReadAll(fm[t.Name])));
    }
}
