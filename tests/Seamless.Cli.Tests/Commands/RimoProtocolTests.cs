using Seamless.Application.TagAccuracy;
using Seamless.Architecture;
using Seamless.Cli.Commands;
using Seamless.Cli.Infrastructure;
using Seamless.Evaluation.Fabrication;
using Seamless.Evaluation.Protocols;
using Seamless.Tagging.Onnx.Fabrication;

namespace Seamless.Tests.Commands;

/// <summary>
/// <c>--protocol rimo</c>: the benchmark's fetched data (here a small stand-in in the tests' cache folder), its tagger
/// settings, and what it refuses. The tests of this class share that folder, so they run one after another.
/// </summary>
public sealed class RimoProtocolTests : IDisposable
{
    private static readonly string Cache = Path.Combine(Path.GetTempPath(), "seamless-cli-tests", "cache");
    private readonly TempFolder _temp = new();

    public RimoProtocolTests() => Environment.SetEnvironmentVariable("SEAMLESS_CACHE_DIR", Cache);

    public void Dispose() => _temp.Dispose();

    private static string Data => ProtocolData.Folder(RimoBenchmark.Name)!;

    private string Tagger(string family)
    {
        var world = new TinyWorld(5, BlockMap.LayoutOf(ModelArchitecture.SD1).StandardBlocks.Count);
        var folder = _temp.File($"tagger-{family}");
        TinyTaggerBuilder.Write(world, folder, family);
        world.Save(folder);

        // The stand-in tag list: the world's tags (with spaces, as common.py writes them), the first two categorised.
        Directory.CreateDirectory(Data);
        File.WriteAllText(Path.Combine(Data, "common.py"), $"要测的标签 = [{string.Join(", ", world.Tags.Select(t => $"'{t.Replace('_', ' ')}'"))}]\n");
        File.WriteAllText(Path.Combine(Data, "categories.json"),
            $$$"""{"human-body": {"name": "人物-身体", "keys": ["{{{world.Tags[0].Replace('_', ' ')}}}"]}, "natural-sky": {"name": "自然-天空", "keys": ["{{{world.Tags[1].Replace('_', ' ')}}}"]}}""");
        return folder;
    }

    private string Model()
    {
        var path = _temp.File("m.safetensors");
        Assert.Equal(0, CliRunner.Run("fabricate", "--seed", "1", path).ExitCode);
        return path;
    }

    [Fact]
    public async Task Protocol_Rimo_DataMissingOrWrongTaggerOrPoolAndCatalogAsTheBenchmark()
    {
        // Without its data: one clear problem, reported with the others before any work.
        if (Directory.Exists(Data))
        {
            Directory.Delete(Data, recursive: true);
        }

        var model = Model();
        var missing = CliRunner.Run("bench", "--models", model, "--backend", "toy", "--protocol", "rimo", "--tagger", _temp.File("nope"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--protocol rimo: its data is not in", missing.Error, StringComparison.Ordinal);
        Assert.Contains("seamless protocol fetch rimo", missing.Error, StringComparison.Ordinal);

        // A WD tagger is refused, naming the one to fetch.
        var wd = CliRunner.Run("bench", "--models", model, "--backend", "toy", "--protocol", "rimo", "--tagger", Tagger("wd"), "--cache", "none");
        Assert.Equal(1, wd.ExitCode);
        Assert.Contains("--protocol rimo scores with ML-Danbooru", wd.Error, StringComparison.Ordinal);
        Assert.Contains("seamless tagger fetch deepghs/ml-danbooru-onnx", wd.Error, StringComparison.Ordinal);

        // With ML-Danbooru: the pool is the list as given, the catalog the seven categories, the tagger at 0.5.
        var settings = new BenchSettings { Models = [model], Backend = "toy", ProtocolName = "rimo", Tagger = Tagger("ml-danbooru"), Cache = "none" };
        await using var parts = Seamless.Application.TagAccuracy.EvaluationSession.Open(settings.ToOptions(), ModelArchitecture.SD1, [model]);
        var world = new TinyWorld(5, BlockMap.LayoutOf(ModelArchitecture.SD1).StandardBlocks.Count);
        Assert.Equal(world.Tags.Select(t => t.Replace('_', ' ')), parts.Pool.Tags);
        Assert.Equal([.. RimoBenchmark.Categories, "other"], parts.Catalog.Categories);
        Assert.Equal((0.5, 0.5), (parts.Tagger.Spec.GeneralThreshold, parts.Tagger.Spec.CharacterThreshold));
        Assert.Same(RimoBenchmark.Protocol, parts.Protocol);
        Assert.StartsWith("1 girl, ", Seamless.Evaluation.Prompts.PromptSet.Search(parts.Pool, parts.Protocol).Prompts[0].Text, StringComparison.Ordinal);
        Assert.All(Seamless.Evaluation.Prompts.PromptSet.Search(parts.Pool, parts.Protocol).Prompts, p => Assert.Equal(1L, p.Seed));
    }

    [Fact]
    public void Search_ProtocolRimo_OverridesTheConfigAndIsValidatedBeforeAnyTrial()
    {
        if (Directory.Exists(Data))
        {
            Directory.Delete(Data, recursive: true);
        }

        var model = Model();
        var path = _temp.File("s.yaml");
        File.WriteAllText(path, $$"""
            name: s
            storage: studies.db
            base: {{model}}
            models: [{{model}}]
            blocks: [M00]
            budget: 2
            objective:
              tag_accuracy: {backend: toy, tagger: {{_temp.File("nope")}}, cache: none}
            """);
        var r = CliRunner.Run("search", path, "--protocol", "rimo");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("tag_accuracy: protocol rimo: its data is not in", r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("studies.db")));

        // Without the flag the same file is refused only for its tagger: the override is what asked for rimo.
        var plain = CliRunner.Run("search", path);
        Assert.DoesNotContain("rimo", plain.Error, StringComparison.Ordinal);

        var resumed = CliRunner.Run("search", "--resume", "s", "--protocol", "rimo");
        Assert.Equal(2, resumed.ExitCode);
        Assert.Contains("a resumed search keeps the protocol", resumed.Error, StringComparison.Ordinal);
    }
}
