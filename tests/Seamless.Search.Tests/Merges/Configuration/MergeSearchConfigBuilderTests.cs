using Seamless.Architecture;
using Seamless.Errors;
using Seamless.Fabrication;
using Seamless.Search.Merges;
using Seamless.Search.Merges.Configuration;

namespace Seamless.Tests.Merges.Configuration;

public sealed class MergeSearchConfigBuilderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("seamless-config-").FullName;

    public MergeSearchConfigBuilderTests()
    {
        Fabricator.Fabricate(ArchitectureManifest.Sd15, FabricationScale.Tiny, 1, Path.Combine(_folder, "a.safetensors"));
        File.Copy(Path.Combine(_folder, "a.safetensors"), Path.Combine(_folder, "b.safetensors"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private MergeSearchConfig Build(SearchDocument document) => MergeSearchConfigBuilder.Build(document, Path.Combine(_folder, "s.yaml"), []);

    private static readonly ObjectiveDocument Echo = new("echo 0.5", null, null);

    [Fact]
    public void Build_RelativePathsAndDefaults_ResolvedBesideTheConfiguration()
    {
        var config = Build(new SearchDocument { Base = "a.safetensors", Models = ["b.safetensors"], Objective = Echo });

        Assert.Equal(Path.Combine(_folder, "a.safetensors"), config.BasePath);
        Assert.Equal([Path.Combine(_folder, "b.safetensors")], config.Models);
        Assert.Equal(("s", Path.Combine(_folder, "seamless-studies.db"), Path.Combine(_folder, "s-work")), (config.Name, config.Storage, config.WorkFolder));
        Assert.Equal(("gp", 50, 0), (config.Optimizer, config.Budget, config.Seed));
        Assert.Equal(26, config.Groups.Count);
        Assert.All(config.Groups, g => Assert.Equal((MergeSearchConfigBuilder.DefaultBounds.Low, MergeSearchConfigBuilder.DefaultBounds.High), (g.Low, g.High)));
        Assert.All(Assert.Single(config.Probes).Values, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Build_GroupsWithOwnBoundsFixedAndProbes_Typed()
    {
        var config = Build(new SearchDocument
        {
            Base = "a.safetensors",
            Models = ["b.safetensors"],
            Blocks = BlockSelection.Of("IN00-IN03", "M00"),
            Bounds = new WeightBounds(0, 1),
            BlockBounds = new Dictionary<string, WeightBounds> { ["M00"] = new(0.2, 0.4) },
            Fixed = new Dictionary<string, double> { ["b:M00"] = 0.3 },
            Probes = [ProbeSpec.At(new Dictionary<string, double> { ["b:IN00-IN03"] = 0.75 })],
            Objective = new ObjectiveDocument(null, null, new Dictionary<string, IReadOnlyList<string>> { ["tagger"] = ["tagger"], ["url"] = ["http://a:1", "http://b:2"] }),
            Storage = "postgresql://u@h/db",
        });

        Assert.Equal([("IN00-IN03", 0.0, 1.0), ("M00", 0.2, 0.4)], config.Groups.Select(g => (g.Label, g.Low, g.High)));
        Assert.Equal(["IN00", "IN01", "IN02", "IN03"], config.Groups[0].Blocks);
        Assert.Equal(0.3, config.Fixed["b:M00"]);
        Assert.Equal(0.75, Assert.Single(config.Probes)["b:IN00-IN03"]);
        Assert.Equal(Path.Combine(_folder, "tagger"), config.TagAccuracy!["tagger"]);
        Assert.Equal("http://a:1,http://b:2", config.TagAccuracy["url"]);
        Assert.Equal("postgresql://u@h/db", config.Storage);
    }

    [Fact]
    public void Build_NoProbesAndWeightOneWithinTheBounds_TheBaseThenEachInputAlone()
    {
        File.Copy(Path.Combine(_folder, "a.safetensors"), Path.Combine(_folder, "c.safetensors"));
        var config = Build(new SearchDocument { Base = "a.safetensors", Models = ["b.safetensors", "c.safetensors"], Blocks = BlockSelection.Of("IN00", "M00"), Bounds = new WeightBounds(0, 1), Objective = Echo });

        Assert.Equal(3, config.Probes.Count);
        Assert.All(config.Probes[0].Values, v => Assert.Equal(0, v));
        Assert.Equal([1.0, 1.0, 0.0, 0.0], config.Probes[1].OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value));
        Assert.Equal([0.0, 0.0, 1.0, 1.0], config.Probes[2].OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value));

        // Written probes are what is probed.
        Assert.Single(Build(new SearchDocument { Base = "a.safetensors", Models = ["b.safetensors"], Bounds = new WeightBounds(0, 1), Probes = [ProbeSpec.Of(ProbeSpec.Zeros)], Objective = Echo }).Probes);
    }

    [Fact]
    public void Build_EveryMeaningWrong_AllProblemsInOneErrorNamingTheFile()
    {
        var e = Assert.Throws<RecipeException>(() => Build(new SearchDocument
        {
            Base = "missing.safetensors",
            Models = ["b.safetensors"],
            Blocks = BlockSelection.Of("IN00", "XX99", "IN00-IN01"),
            Fixed = new Dictionary<string, double> { ["b:NOPE"] = 0.1 },
            Probes = [ProbeSpec.At(new Dictionary<string, double> { ["b:IN00"] = 9 })],
            Optimizer = "bogus",
            Method = "slerp",
            OutputDtype = "fp8",
            Constraint = "sum_eq_1",
            Objective = new ObjectiveDocument("definitely-not-a-program-3f9a --x", null, null),
        }));

        string[] expected =
        [
            "missing.safetensors",
            "block 'XX99' is not a SD1 block or range",
            "block IN00 is searched twice",
            "fixed 'b:NOPE' is not a parameter",
            "probe value 'b:IN00: 9' is not a searched parameter within its bounds",
            "optimizer 'bogus' is not gp",
            "method 'slerp'",
            "output_dtype 'fp8'",
            "constraint 'sum_eq_1'",
            "objective command 'definitely-not-a-program-3f9a' is not found on PATH",
        ];
        Assert.Contains("s.yaml", e.Message, StringComparison.Ordinal);
        foreach (var text in expected)
        {
            Assert.True(e.Problems.Any(p => p.Contains(text, StringComparison.Ordinal)), $"missing '{text}' in: {string.Join(" | ", e.Problems)}");
        }
    }

    [Fact]
    public void Build_NoBlocksAndProbesOfTheModels_AnErrorNotACrash()
    {
        var e = Assert.Throws<RecipeException>(() => Build(new SearchDocument
        {
            Base = "a.safetensors",
            Models = ["b.safetensors"],
            Blocks = BlockSelection.Of(),
            Bounds = new WeightBounds(0, 1),
            Probes = [ProbeSpec.Of(ProbeSpec.Models)],
            Objective = Echo,
        }));

        Assert.Equal(["'blocks' names no block to search: list some, such as [IN00-IN03, M00], or write 'all'"], e.Problems);
    }

    [Fact]
    public void Build_ReadersProblems_ReportedWithItsOwn()
    {
        var e = Assert.Throws<RecipeException>(() => MergeSearchConfigBuilder.Build(new SearchDocument { Models = ["b.safetensors"], Objective = Echo }, Path.Combine(_folder, "s.yaml"), ["unknown key 'colour'"]));

        Assert.Equal(["unknown key 'colour'", "'base' is missing"], e.Problems);
    }

    [Fact]
    public void Build_RoundsWithModelsOrProbes_Refused()
    {
        var e = Assert.Throws<RecipeException>(() => Build(new SearchDocument
        {
            Base = "a.safetensors",
            Models = ["b.safetensors"],
            Rounds = new RoundsDocument(["b.safetensors"]),
            Probes = [ProbeSpec.Of(ProbeSpec.Zeros)],
            Objective = Echo,
        }));

        Assert.Contains(e.Problems, p => p.Contains("either 'models' (one search) or 'rounds'", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("remove 'probes' and 'fixed'", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_Rounds_PoolResolvedAndDefaultsFilled()
    {
        var config = Build(new SearchDocument { Base = "a.safetensors", Rounds = new RoundsDocument(["b.safetensors"], Count: 2), Objective = Echo });

        var rounds = config.Rounds!;
        Assert.Equal((2, 20, Path.Combine(_folder, "s-rounds"), NextBaseRule.Recommended), (rounds.Count, rounds.TrialsPerRound, rounds.Folder, rounds.NextBase));
        Assert.Equal([Path.Combine(_folder, "b.safetensors")], rounds.Pool);
        Assert.Equal(rounds.Pool, config.Models);
        Assert.Empty(config.Probes);
    }
}
