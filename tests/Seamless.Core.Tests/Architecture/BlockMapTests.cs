using System.Text.Json;
using Seamless.Architecture;
using Seamless.Tests.TestSupport;

namespace Seamless.Tests.Architecture;

public sealed class BlockMapTests
{
    private static Dictionary<string, long[]> SharedManifest(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.File($"arch/{name}.json")!));
        return doc.RootElement.GetProperty("tensors").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray());
    }

    [SharedDataFact]
    public void Resolve_EverySd15UnetKey_MapsToExactlyOneBlockOfTheLayout()
    {
        var map = new BlockMap(ModelArchitecture.SD1, BlockMapOptions.Default);
        var keys = SharedManifest("sd15");
        var perBlock = new Dictionary<string, long>();
        foreach (var (key, shape) in keys.Where(k => k.Key.StartsWith("model.diffusion_model.", StringComparison.Ordinal)))
        {
            var block = map.Resolve(key);
            Assert.NotNull(block);
            perBlock[block!] = perBlock.GetValueOrDefault(block!) + shape.Aggregate(1L, (a, d) => a * d);
        }

        Assert.Equal(map.Layout.Blocks.Where(b => b != "BASE").Order(StringComparer.Ordinal), perBlock.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(859_520_964, perBlock.Values.Sum());
        Assert.Equal(26, map.Layout.Blocks.Count);
    }

    [SharedDataFact]
    public void Resolve_EverySdxlUnetKey_MapsToOneOfTwentyBlocks()
    {
        var map = new BlockMap(ModelArchitecture.SDXL, BlockMapOptions.Default);
        var keys = SharedManifest("sdxl");
        var blocks = keys.Keys.Where(k => k.StartsWith("model.diffusion_model.", StringComparison.Ordinal)).Select(map.Resolve).ToHashSet();
        Assert.DoesNotContain(null, blocks);
        Assert.Equal(19, blocks.Count);
        Assert.Equal(20, map.Layout.Blocks.Count);
        Assert.Equal("OUT08", map.Resolve("model.diffusion_model.out.2.weight"));
        Assert.Equal("IN00", map.Resolve("model.diffusion_model.label_emb.0.0.weight"));
    }

    [SharedDataFact]
    public void Resolve_TextEncodersAndVae_FollowTheRules()
    {
        foreach (var (name, arch) in new[] { ("sd15", ModelArchitecture.SD1), ("sdxl", ModelArchitecture.SDXL) })
        {
            var keys = SharedManifest(name).Keys.ToList();
            var own = new BlockMap(arch, new BlockMapOptions(TimeEmbedRule.Base, VaeRule.Own));
            var standard = new BlockMap(arch, BlockMapOptions.Default);
            foreach (var key in keys)
            {
                if (key.StartsWith("first_stage_model.", StringComparison.Ordinal))
                {
                    Assert.Equal("VAE", own.Resolve(key));
                    Assert.Equal("BASE", standard.Resolve(key));
                }
                else if ((key.StartsWith("cond_stage_model.", StringComparison.Ordinal) || key.StartsWith("conditioner.", StringComparison.Ordinal)) && !key.EndsWith("position_ids", StringComparison.Ordinal))
                {
                    Assert.Equal("BASE", standard.Resolve(key));
                }
                else if (key.Contains(".time_embed.", StringComparison.Ordinal))
                {
                    Assert.Equal("BASE", own.Resolve(key));
                    Assert.Equal("IN00", standard.Resolve(key));
                }
                else if (!key.StartsWith("model.diffusion_model.", StringComparison.Ordinal))
                {
                    Assert.Null(standard.Resolve(key));
                }
            }
        }
    }

    [Fact]
    public void Resolve_EmbeddedManifests_EveryKeyResolvesWithoutError()
    {
        foreach (var (manifest, arch) in new[] { (ArchitectureManifest.Sd15, ModelArchitecture.SD1), (ArchitectureManifest.Sdxl, ModelArchitecture.SDXL) })
        {
            var map = new BlockMap(arch, BlockMapOptions.Default);
            var unmerged = manifest.Tensors.Where(t => map.Resolve(t.Name) is null).Select(t => t.Name).ToList();
            Assert.All(unmerged, k => Assert.False(k.StartsWith("model.diffusion_model.", StringComparison.Ordinal), k));
            Assert.Contains(unmerged, k => k.EndsWith("position_ids", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(ModelArchitecture.SD1)]
    [InlineData(ModelArchitecture.SDXL)]
    public void Resolve_MiddleSplitAndOutWithBase_MoveOnlyTheirKeys(ModelArchitecture arch)
    {
        var manifest = arch == ModelArchitecture.SD1 ? ArchitectureManifest.Sd15 : ArchitectureManifest.Sdxl;
        var standard = new BlockMap(arch, BlockMapOptions.Default);
        var original = new BlockMap(arch, BlockMapOptions.Default with { Middle = MiddleRule.Split, Out = OutRule.Base });
        var moved = 0;
        foreach (var key in manifest.Tensors.Select(t => t.Name))
        {
            var expected = key.StartsWith("model.diffusion_model.middle_block.2.", StringComparison.Ordinal) ? "M01"
                : key.StartsWith("model.diffusion_model.out.", StringComparison.Ordinal) ? "BASE"
                : standard.Resolve(key);
            moved += expected == standard.Resolve(key) ? 0 : 1;
            Assert.Equal(expected, original.Resolve(key));
        }

        Assert.True(moved >= 6, $"{moved} keys moved");
        Assert.Equal("M00", original.Resolve("model.diffusion_model.middle_block.1.proj_in.weight"));
        Assert.Contains("middle_block.2→M01", original.Options.Describe(), StringComparison.Ordinal);
        Assert.Equal("time_embed/label_emb→IN00, VAE→BASE", standard.Options.Describe());
    }

    [Fact]
    public void Resolve_Sd1BlockOnSdxl_Throws()
    {
        var map = new BlockMap(ModelArchitecture.SDXL, BlockMapOptions.Default);
        Assert.Throws<KeyNotFoundException>(() => map.Resolve("model.diffusion_model.input_blocks.11.0.weight"));
    }

    [Theory]
    [InlineData("in4", "IN04")]
    [InlineData("IN04", "IN04")]
    [InlineData("INP11", "IN11")]
    [InlineData("mid", "M00")]
    [InlineData("M0", "M00")]
    [InlineData("out_2", "OUT02")]
    [InlineData("base", "BASE")]
    [InlineData("vae", "VAE")]
    [InlineData("m01", "M01")]
    [InlineData("IN", null)]
    [InlineData("UP03", null)]
    public void Normalize_Spellings(string given, string? expected) => Assert.Equal(expected, BlockLayout.Normalize(given));
}
