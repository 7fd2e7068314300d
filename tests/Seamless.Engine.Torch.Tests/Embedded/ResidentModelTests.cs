using Seamless.Backends.Embedded;
using Seamless.Engine.Compute;
using Seamless.Merging;
using static TorchSharp.torch;

namespace Seamless.Tests.Embedded;

public sealed class ResidentModelTests(TinyModels models) : IClassFixture<TinyModels>
{
    // Small chunks make the executor hand the sink many pieces per tensor, so offsets are exercised.
    private static readonly MergeExecutorOptions Chunked = new(Threads: 2, ChunkElements: 1000);

    [Fact]
    public void Apply_Recipe_EqualsTheFileMergeBitForBit()
    {
        using var resident = new ResidentModel(Chunked);
        resident.Apply(models.Recipe(0.3, 0.2, in04: 0.7), CancellationToken.None);
        models.AssertEqualsFileMerge(resident, models.Recipe(0.3, 0.2, in04: 0.7));
    }

    [Fact]
    public void Apply_OneBlockChanged_RecomputesOnlyThatBlockAndStillEqualsTheFileMerge()
    {
        using var resident = new ResidentModel(Chunked);
        resident.Apply(models.Recipe(0.3, 0.2, in04: 0.7), CancellationToken.None);
        var (first, total) = resident.LastApply;
        Assert.Equal(total, first);

        var second = models.Recipe(0.3, 0.2, in04: 0.1);
        resident.Apply(second, CancellationToken.None);
        var (recomputed, _) = resident.LastApply;
        Assert.InRange(recomputed, 1, total / 4);
        models.AssertEqualsFileMerge(resident, second);
    }

    [Fact]
    public void Apply_AfterAFileWasLoaded_RewritesEverything()
    {
        using var resident = new ResidentModel(Chunked);
        var recipe = models.Recipe(0.5, 0.1);
        resident.Apply(recipe, CancellationToken.None);
        resident.Load(models.Paths[2]);
        resident.Apply(recipe, CancellationToken.None);
        Assert.Equal(resident.LastApply.Total, resident.LastApply.Recomputed);
        models.AssertEqualsFileMerge(resident, recipe);
    }

    [Theory]
    [InlineData("cpu/fp16", ScalarType.Float16)]
    [InlineData("cpu/bf16", ScalarType.BFloat16)]
    public void Apply_ReducedPrecision_EqualsTheFileMergeLoadedTheSameWay(string device, ScalarType dtype)
    {
        var spec = DeviceSpec.Parse(device);
        using var resident = new ResidentModel(Chunked, spec);
        var recipe = models.Recipe(0.3, 0.2, in04: 0.7);
        resident.Apply(recipe, CancellationToken.None);
        var weights = resident.Pipeline!.Weights.Tensors;
        Assert.Equal(dtype, weights["model.diffusion_model.out.2.weight"].dtype);
        Assert.Equal(dtype, weights["cond_stage_model.transformer.text_model.final_layer_norm.weight"].dtype);
        Assert.Equal(ScalarType.Float32, weights["first_stage_model.decoder.conv_out.weight"].dtype);
        models.AssertEqualsFileMerge(resident, recipe, spec);

        resident.Apply(models.Recipe(0.3, 0.2, in04: 0.1), CancellationToken.None);
        models.AssertEqualsFileMerge(resident, models.Recipe(0.3, 0.2, in04: 0.1), spec);
    }

    [CudaFact]
    public void Apply_OnCuda_EqualsTheFileMergeLoadedOnCuda()
    {
        var spec = DeviceSpec.Parse("cuda");
        using var resident = new ResidentModel(Chunked, spec);
        var recipe = models.Recipe(0.3, 0.2, in04: 0.7);
        resident.Apply(recipe, CancellationToken.None);
        Assert.Equal(TorchSharp.DeviceType.CUDA, resident.Pipeline!.Weights.Tensors["model.diffusion_model.out.2.weight"].device_type);
        models.AssertEqualsFileMerge(resident, recipe, spec);
    }
}
