using System.Globalization;
using System.Text.Json;
using Seamless.Architecture;
using Seamless.Evaluation.Fabrication;
using Seamless.Tagging.Onnx.Fabrication;
using Seamless.Tests.Fakes;

namespace Seamless.Tests.Commands;

public sealed class BenchCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public BenchCommandTests() => Environment.SetEnvironmentVariable("SEAMLESS_CACHE_DIR", Path.Combine(Path.GetTempPath(), "seamless-cli-tests", "cache"));

    public void Dispose() => _temp.Dispose();

    private string[] Models(int n)
    {
        var paths = new string[n];
        for (var i = 0; i < n; i++)
        {
            paths[i] = _temp.File($"m{i}.safetensors");
            Assert.Equal(0, CliRunner.Run("fabricate", "--seed", (i + 1).ToString(CultureInfo.InvariantCulture), paths[i]).ExitCode);
        }

        return paths;
    }

    private string Tagger() => TinyTaggers.Write(_temp.File("tagger"), 5);

    [Fact]
    public void Bench_ToyBackend_TablesInJsonMarkdownCsvAndImagesKept()
    {
        var models = Models(2);
        var r = CliRunner.Run("bench", "--models", models[0], "--models", models[1], "--backend", "toy", "--tagger", Tagger(),
            "--prompts", "5", "--tags-per-prompt", "6", "--images-per-prompt", "2", "--batch-size", "2", "--width", "64", "--height", "64",
            "--cache", "none", "--tag-counts", "2,4,1000", "--count-prompts", "3",
            "--json", _temp.File("out/b.json"), "--md", _temp.File("out/b.md"), "--csv", _temp.File("out/b.csv"), "--images-out", _temp.File("imgs"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("| overall |", r.Output, StringComparison.Ordinal);
        Assert.Contains("tag counts 1000 exceed the pool", r.Error, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(File.ReadAllText(_temp.File("out/b.json")));
        var ms = json.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(2, ms.Count);
        foreach (var m in ms)
        {
            Assert.Equal(5 * 2 * 6, m.GetProperty("pairs").GetInt64());
            var overall = m.GetProperty("overall").GetDouble();
            var interval = m.GetProperty("interval").EnumerateArray().Select(x => x.GetDouble()).ToList();
            Assert.InRange(overall, interval[0], interval[1]);
            Assert.Equal((double)m.GetProperty("detected").GetInt64() / m.GetProperty("pairs").GetInt64(), overall, 12);
            Assert.True(m.GetProperty("categories").EnumerateObject().Any());
            Assert.Equal(["2", "4"], m.GetProperty("by_tag_count").EnumerateObject().Select(p => p.Name));
        }

        // Δ% in the CSV is against the two models' average, row by row.
        var rows = File.ReadAllLines(_temp.File("out/b.csv")).Where(l => l.Contains(",category,overall,", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        var values = rows.Select(l => double.Parse(l.Split(',')[3], CultureInfo.InvariantCulture)).ToList();
        var deltas = rows.Select(l => double.Parse(l.Split(',')[8], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(100 * (values[0] - values.Average()) / values.Average(), deltas[0], 9);
        Assert.Equal(0, deltas.Sum(), 9);

        Assert.Equal(2 * ((5 * 2) + (2 * 3 * 2)), Directory.GetFiles(_temp.File("imgs"), "*.png", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void Bench_WithEncoder_DiversityInEveryTableAndMissingEncoderNamed()
    {
        var models = Models(2);
        var encoder = _temp.File("encoder");
        TinyEncoderBuilder.Write(encoder, TinyEncoderWeights.Random(7), 20);
        string[] common = ["bench", "--models", models[0], "--models", models[1], "--backend", "toy", "--tagger", Tagger(),
            "--prompts", "3", "--tags-per-prompt", "4", "--images-per-prompt", "3", "--batch-size", "3", "--width", "64", "--height", "64",
            "--cache", "none", "--tag-counts", "2", "--count-prompts", "2"];

        var r = CliRunner.Run([.. common, "--encoder", encoder, "--json", _temp.File("d.json"), "--csv", _temp.File("d.csv")]);
        var missing = CliRunner.Run([.. common, "--encoder", _temp.File("no-encoder")]);

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("| diversity |", r.Output, StringComparison.Ordinal);
        Assert.Contains("Accuracy by tags per prompt (diversity in brackets)", r.Output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(_temp.File("d.json")));
        foreach (var m in json.RootElement.GetProperty("models").EnumerateArray())
        {
            Assert.InRange(m.GetProperty("diversity").GetDouble(), 1e-9, 2);
            Assert.InRange(m.GetProperty("diversity_by_tag_count").GetProperty("2").GetDouble(), 1e-9, 2);
        }

        Assert.Equal(2, File.ReadAllLines(_temp.File("d.csv")).Count(l => l.Contains(",diversity,overall,", StringComparison.Ordinal)));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--encoder", missing.Error, StringComparison.Ordinal);
        Assert.Contains("seamless encoder fetch", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_ModelsAsAShellGlobGivesThem_AllThreeBenched()
    {
        // seamless bench --models *.safetensors: one flag, several files.
        var models = Models(3);
        var r = CliRunner.Run(["bench", "--models", .. models, "--backend", "toy", "--tagger", Tagger(), "--prompts", "2", "--tags-per-prompt", "3",
            "--images-per-prompt", "1", "--batch-size", "1", "--width", "64", "--height", "64", "--cache", "none", "--tag-counts", "none",
            "--json", _temp.File("glob.json")]);
        Assert.True(r.ExitCode == 0, r.Error);
        using var json = JsonDocument.Parse(File.ReadAllText(_temp.File("glob.json")));
        Assert.Equal(3, json.RootElement.GetProperty("models").GetArrayLength());
    }

    [Fact]
    public void Bench_EmbeddedWithoutTheEngineFolder_SaysSoWithTheOtherProblems()
    {
        // The test output folder has no engine/ (only the CLI's own build output carries it).
        var r = CliRunner.Run("bench", "--models", _temp.File("missing.safetensors"), "--backend", "embedded", "--vocab", _temp.File("no-vocab"), "--clip-skip", "0", "--threads", "0");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--backend embedded: the engine is not built next to this program", r.Error, StringComparison.Ordinal);
        Assert.Contains("no-vocab' does not exist", r.Error, StringComparison.Ordinal);
        Assert.Contains("--clip-skip must be", r.Error, StringComparison.Ordinal);
        Assert.Contains("--threads must be", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_BadOptions_AllProblemsInOneErrorBeforeWork()
    {
        var r = CliRunner.Run("bench", "--models", _temp.File("missing.safetensors"), "--backend", "a1111", "--prompts", "0", "--api-auth", "nocolon");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--models-dir is required", r.Error, StringComparison.Ordinal);
        Assert.Contains("--tagger is required", r.Error, StringComparison.Ordinal);
        Assert.Contains("missing.safetensors' does not exist", r.Error, StringComparison.Ordinal);
        Assert.Contains("prompts must be positive", r.Error, StringComparison.Ordinal);
        Assert.Contains("USER:PASSWORD", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_A1111OverLoopback_CandidatesPlacedVerifiedAndRemoved()
    {
        var models = Models(2);
        var serverDir = _temp.File("server-models");
        Directory.CreateDirectory(serverDir);
        await using var server = await FakeA1111Server.StartAsync(serverDir);
        var r = CliRunner.Run("bench", "--models", models[0], "--models", models[1], "--backend", "a1111", "--url", server.Url.ToString(),
            "--models-dir", serverDir, "--tagger", Tagger(), "--prompts", "3", "--tags-per-prompt", "4", "--images-per-prompt", "4",
            "--width", "64", "--height", "64", "--cache", _temp.File("cache"), "--tag-counts", "none", "--json", _temp.File("a.json"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(2 * 3, server.Txt2ImgBodies.Count);
        Assert.Empty(Directory.GetFiles(serverDir, "*.safetensors", SearchOption.AllDirectories));
        using var json = JsonDocument.Parse(File.ReadAllText(_temp.File("a.json")));
        Assert.All(json.RootElement.GetProperty("models").EnumerateArray(), m => Assert.Equal(3 * 4 * 4, m.GetProperty("pairs").GetInt64()));
        Assert.StartsWith("a1111@http://127.0.0.1:", json.RootElement.GetProperty("backend").GetString(), StringComparison.Ordinal);

        // A second run finds every image in the cache: the server is not asked again.
        var again = CliRunner.Run("bench", "--models", models[0], "--backend", "a1111", "--url", server.Url.ToString(), "--models-dir", serverDir,
            "--tagger", Tagger(), "--prompts", "3", "--tags-per-prompt", "4", "--images-per-prompt", "4", "--width", "64", "--height", "64",
            "--cache", _temp.File("cache"), "--tag-counts", "none");
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal(2 * 3, server.Txt2ImgBodies.Count);
    }

    [Fact]
    public async Task Bench_VaePerModel_EachModelDecodedWithItsOwnAndCachedApart()
    {
        var models = Models(2);
        var serverDir = _temp.File("server-models");
        Directory.CreateDirectory(serverDir);
        await using var server = await FakeA1111Server.StartAsync(serverDir);
        string[] Bench(string vae) => ["bench", "--models", models[0], "--models", models[1], "--backend", "a1111", "--url", server.Url.ToString(),
            "--models-dir", serverDir, "--tagger", Tagger(), "--prompts", "2", "--tags-per-prompt", "4", "--images-per-prompt", "2",
            "--width", "64", "--height", "64", "--cache", _temp.File("cache"), "--tag-counts", "none", "--vae", vae];

        var r = CliRunner.Run(Bench("m0.safetensors=kl-f8-anime2.ckpt,None"));
        var other = CliRunner.Run(Bench("m0=vae-ft-mse-840000-ema-pruned.safetensors,None"));

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.True(other.ExitCode == 0, other.Error);
        var vaes = server.Txt2ImgBodies.Select(b => b.GetProperty("override_settings").GetProperty("sd_vae").GetString()).ToList();
        Assert.Equal(["kl-f8-anime2.ckpt", "kl-f8-anime2.ckpt", "None", "None", "vae-ft-mse-840000-ema-pruned.safetensors", "vae-ft-mse-840000-ema-pruned.safetensors"], vaes);
    }

    [Fact]
    public void Bench_VaeForAModelNotBenched_RefusedBeforeWork()
    {
        var models = Models(1);
        var r = CliRunner.Run("bench", "--models", models[0], "--backend", "toy", "--tagger", Tagger(), "--vae", "other.safetensors=kl.ckpt,a=,=b");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("is a VAE, or MODEL=VAE pairs", r.Error, StringComparison.Ordinal);
        var named = CliRunner.Run("bench", "--models", models[0], "--backend", "a1111", "--models-dir", _temp.Path, "--tagger", Tagger(), "--vae", "other.safetensors=kl.ckpt");
        Assert.Contains("--vae names 'other.safetensors', which is not one of --models", named.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_ServerIgnoresOverride_FailsWithMismatchNoTable()
    {
        var models = Models(1);
        var serverDir = _temp.File("server-models");
        Directory.CreateDirectory(serverDir);
        await using var server = await FakeA1111Server.StartAsync(serverDir);
        server.IgnoreOverride = true;
        var r = CliRunner.Run("bench", "--models", models[0], "--backend", "a1111", "--url", server.Url.ToString(), "--models-dir", serverDir,
            "--tagger", Tagger(), "--prompts", "2", "--tags-per-prompt", "4", "--width", "64", "--height", "64", "--cache", "none", "--tag-counts", "none");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("override was ignored", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("| overall |", r.Output, StringComparison.Ordinal);
    }
}
