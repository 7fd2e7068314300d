using Seamless.Evaluation.Generation;
using Seamless.Engine.Compute;
using Seamless.Architecture;
using Seamless.Backends.Embedded;
using Seamless.Engine.Torch.Pipeline;
using Seamless.Fabrication;
using Seamless.Merging;
using Seamless.Safetensors;

namespace Seamless.Tests.Embedded;

/// <summary>Three fabricated tiny SD1 checkpoints (fp16, seeds 1–3), made once per test class.</summary>
public class TinyModels : IDisposable
{
    public TinyModels()
        : this(ModelArchitecture.SD1)
    {
    }

    protected TinyModels(ModelArchitecture architecture)
    {
        Architecture = architecture;
        var manifest = architecture == ModelArchitecture.SDXL ? ArchitectureManifest.Sdxl : ArchitectureManifest.Sd15;
        Paths = [.. Enumerable.Range(1, 3).Select(seed =>
        {
            var path = Folder.File($"m{seed}.safetensors");
            Fabricator.Fabricate(manifest, FabricationScale.Tiny, (ulong)seed, path, DType.F16);
            return path;
        })];
    }

    public ModelArchitecture Architecture { get; }

    public TempFolder Folder { get; } = new();

    public IReadOnlyList<string> Paths { get; }

    /// <summary>Base m1 with m2 and m3 at the given uniform weights, except <paramref name="in04"/> for m2's IN04.</summary>
    public MergeRecipe Recipe(double w2, double w3, double? in04 = null)
    {
        var layout = new BlockMap(Architecture, BlockMapOptions.Default).Layout;
        var named = layout.Blocks.Select(b => new KeyValuePair<string, double>(b, b == "IN04" && in04 is { } v ? v : w2)).ToList();
        return new MergeRecipe(Paths[0], "weighted_sum", [new RecipeModel(Paths[1], WeightSpec.FromNamed(named)), new RecipeModel(Paths[2], WeightSpec.FromUniform(w3))]);
    }

    /// <summary>
    /// Asserts that the engine's resident weights equal, bit for bit, those of a pipeline loaded from the file merge of
    /// <paramref name="recipe"/>.
    /// </summary>
    internal void AssertEqualsFileMerge(ResidentModel resident, MergeRecipe recipe, DeviceSpec? device = null)
    {
        ArgumentNullException.ThrowIfNull(resident);
        var path = Folder.File($"merged-{Guid.NewGuid():N}.safetensors");
        new CheckpointMerger().Merge(recipe, path);
        using (var file = SafetensorsFile.Open(path))
        using (DiffusionPipeline loaded = Architecture == ModelArchitecture.SDXL ? SdxlPipeline.Load(file, device: device) : Sd1Pipeline.Load(file, device: device))
        {
            var actual = resident.Pipeline!.Weights.Tensors;
            Assert.Equal(loaded.Weights.Tensors.Count, actual.Count);
            var different = loaded.Weights.Tensors.Where(kv => kv.Value.dtype != actual[kv.Key].dtype || !kv.Value.allclose(actual[kv.Key], rtol: 0, atol: 0)).Select(kv => kv.Key).ToList();
            Assert.True(different.Count == 0, $"{different.Count} tensors differ, e.g. {string.Join(", ", different.Take(3))}");
        }

        File.Delete(path);
    }

    /// <summary>Largest and mean 8-bit difference between an image drawn in fp32 and in <paramref name="device"/>'s precision, same recipe and seed.</summary>
    internal async Task<(int Max, double Mean)> PrecisionDrift(string device, GenerationRequest request)
    {
        async Task<byte[]> Draw(string? spec)
        {
            await using var generator = new EmbeddedGenerator(new EmbeddedOptions(EmbeddedOptions.ByteLevelVocabulary, Threads: 1, Device: spec));
            Assert.Contains(spec ?? "cpu/fp32", generator.Name, StringComparison.Ordinal);
            await using var session = await generator.OpenAsync(new CandidateModel(null, "x", "x") { Recipe = Recipe(0.3, 0.2) }, CancellationToken.None);
            return (await session.GenerateAsync(request, CancellationToken.None))[0].Pixels!.Pixels;
        }

        var full = await Draw(null);
        var reduced = await Draw(device);
        var diffs = full.Zip(reduced).Select(p => Math.Abs(p.First - p.Second)).ToList();
        return (diffs.Max(), diffs.Average());
    }

    public void Dispose()
    {
        Folder.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Three fabricated tiny SDXL checkpoints (fp16, seeds 1–3).</summary>
public sealed class TinySdxlModels() : TinyModels(ModelArchitecture.SDXL);
