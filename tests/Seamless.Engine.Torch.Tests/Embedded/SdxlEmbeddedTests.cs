using Seamless.Backends.Embedded;
using Seamless.Engine.Torch.Pipeline;
using Seamless.Evaluation.Generation;
using Seamless.Merging;
using Seamless.Safetensors;
using static TorchSharp.torch;

namespace Seamless.Tests.Embedded;

/// <summary>The SDXL path of the embedded backend on fabricated tiny SDXL checkpoints (no golden exists for the whole SDXL pipeline).</summary>
public sealed class SdxlEmbeddedTests(TinySdxlModels models) : IClassFixture<TinySdxlModels>
{
    private static GenerationRequest Request(string negative = "lowres", long seed = 3) =>
        new("1girl, (red hair:1.3), smile", negative, seed, 1, 1, 64, 64, 3, "Euler", "Automatic", 5);

    [Fact]
    public void Load_TinySdxl_ConditioningWidthsFitTheUNet()
    {
        using var file = SafetensorsFile.Open(models.Paths[0]);
        using var pipeline = SdxlPipeline.Load(file);
        using var scope = NewDisposeScope();
        var ids = tensor(Enumerable.Repeat(49407L, 77).Prepend(49406L).Take(77).ToArray()).reshape(1, 77);
        var l = pipeline.EncodeL(ids);
        var (g, pooled) = pipeline.EncodeG(ids);
        var vector = pipeline.Vector(pooled, 64, 64);
        Assert.Equal(pipeline.Weights.Tensors["model.diffusion_model.input_blocks.4.1.transformer_blocks.0.attn2.to_k.weight"].shape[1], l.shape[2] + g.shape[2]);
        Assert.Equal(pipeline.Weights.Tensors["model.diffusion_model.label_emb.0.0.weight"].shape[1], vector.shape[1]);
    }

    [Fact]
    public async Task Generate_SdxlRecipe_DeterministicAndDependsOnTheWeights()
    {
        await using var generator = new EmbeddedGenerator(new EmbeddedOptions(EmbeddedOptions.ByteLevelVocabulary, Threads: 1));
        async Task<byte[]> Draw(MergeRecipe recipe, GenerationRequest request)
        {
            await using var session = await generator.OpenAsync(new CandidateModel(null, "x", "x") { Recipe = recipe }, CancellationToken.None);
            return (await session.GenerateAsync(request, CancellationToken.None))[0].Pixels!.Pixels;
        }

        var a = await Draw(models.Recipe(0.3, 0.2), Request());
        var again = await Draw(models.Recipe(0.3, 0.2), Request());
        var b = await Draw(models.Recipe(0.8, 0.0), Request());
        var emptyNegative = await Draw(models.Recipe(0.3, 0.2), Request(negative: ""));
        Assert.Equal(a, again);
        Assert.NotEqual(a, b);
        Assert.NotEqual(a, emptyNegative);
    }

    [Fact]
    public async Task Generate_Fp16_DrawsNearlyTheFp32Image()
    {
        var (max, mean) = await models.PrecisionDrift("cpu/fp16", Request());
        Assert.True(max <= 2 && mean <= 0.5, $"fp16 against fp32: max |Δ| {max}, mean {mean:F3} levels");
    }

    [Fact]
    public void Apply_SdxlRecipe_EqualsTheFileMergeBitForBit()
    {
        using var resident = new ResidentModel(new MergeExecutorOptions(Threads: 2, ChunkElements: 1000));
        var recipe = models.Recipe(0.4, 0.1, in04: 0.9);
        resident.Apply(recipe, CancellationToken.None);
        models.AssertEqualsFileMerge(resident, recipe);
    }
}
