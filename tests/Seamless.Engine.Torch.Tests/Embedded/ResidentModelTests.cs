using Seamless.Backends.Embedded;
using Seamless.Merging;

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
}
