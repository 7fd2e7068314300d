using System.Text.Json;

namespace Seamless.Tests.Commands;

/// <summary>The four verbs end to end on tiny fabricated checkpoints, as a user runs them.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public CommandLineTests() => Environment.SetEnvironmentVariable("SEAMLESS_CACHE_DIR", System.IO.Path.Combine(System.IO.Path.GetTempPath(), "seamless-cli-tests", "cache"));

    public void Dispose() => _temp.Dispose();

    private string Fabricate(ulong seed, string arch = "sd15")
    {
        var path = _temp.File($"{arch}-{seed}.safetensors");
        var r = CliRunner.Run("fabricate", "--arch", arch, "--scale", "tiny", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), path);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("not a usable model", r.Output, StringComparison.Ordinal);
        return path;
    }

    private static void AssertOneLineError(CliRunner.Result r, string expected)
    {
        Assert.NotEqual(0, r.ExitCode);
        var line = Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_BadOptions_AllProblemsInOneErrorBeforeLoadingTheEngine()
    {
        var r = CliRunner.Run("generate", "--model", _temp.File("missing.safetensors"), "--width", "100", "--steps", "0", "--clip-skip", "13", "--device", "gpu", "--out", _temp.File("no-such-folder/x.png"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--device: device 'gpu' is not cpu, cuda or cuda:N", r.Error, StringComparison.Ordinal);
        Assert.Contains("missing.safetensors' does not exist", r.Error, StringComparison.Ordinal);
        Assert.Contains("multiples of 64 (are 100×512)", r.Error, StringComparison.Ordinal);
        Assert.Contains("--steps must be", r.Error, StringComparison.Ordinal);
        Assert.Contains("--clip-skip must be", r.Error, StringComparison.Ordinal);
        Assert.Contains("no-such-folder' does not exist", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_NoEngineFolder_OneClearError()
    {
        // The test output folder has no engine/: the error says how to get one, and no image is written.
        var model = Fabricate(1);
        var r = CliRunner.Run("generate", "--model", model, "--vocab", "byte-level", "--width", "64", "--height", "64", "--steps", "1", "--out", _temp.File("x.png"));
        AssertOneLineError(r, "the embedded engine is not here");
        Assert.False(File.Exists(_temp.File("x.png")));
    }

    [Fact]
    public void MergeRecipeThenInspect_RoundTripsTheRecipe()
    {
        var a = Fabricate(1);
        var b = Fabricate(2);
        var c = Fabricate(3);
        var recipe = _temp.File("recipe.yaml");
        File.WriteAllText(recipe, $"""
            base: {Path.GetFileName(a)}
            models:
              - path: {Path.GetFileName(b)}
                weights: "0,0.1,0.1,0,0,0,0,0,0,0,0,0,0,0.2,0,0,0,0,0,0,0,0,0,0,0,0"
              - path: {Path.GetFileName(c)}
                weights: {"{"}default: 0.05, IN04-IN08: 0.2, M00: -0.1{"}"}
            """);
        var output = _temp.File("merged.safetensors");
        var merge = CliRunner.Run("merge", recipe, "--out", output);
        Assert.True(merge.ExitCode == 0, merge.Error);
        Assert.Contains("Wrote", merge.Output, StringComparison.Ordinal);

        var inspect = CliRunner.Run("inspect", output, "--json");
        Assert.Equal(0, inspect.ExitCode);
        using var json = JsonDocument.Parse(inspect.Output);
        Assert.Equal("SD1", json.RootElement.GetProperty("architecture").GetString());
        Assert.Equal(26, json.RootElement.GetProperty("blocks").EnumerateObject().Count(p => p.Name != "(not merged)" && p.Name != "VAE"));
        using var recorded = JsonDocument.Parse(json.RootElement.GetProperty("metadata").GetProperty("seamless.recipe").GetString()!);
        var models = recorded.RootElement.GetProperty("models");
        Assert.Equal("0,0.1,0.1,0,0,0,0,0,0,0,0,0,0,0.2,0,0,0,0,0,0,0,0,0,0,0,0", models[0].GetProperty("supermerger").GetString());
        Assert.Equal(-0.1, models[1].GetProperty("weights").GetProperty("M00").GetDouble());

        var text = CliRunner.Run("inspect", output);
        Assert.Contains("seamless.recipe", text.Output, StringComparison.Ordinal);
        Assert.Contains("IN04", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void MergeFlags_SameResultAsRecipe()
    {
        var a = Fabricate(1);
        var b = Fabricate(2);
        var viaFlags = _temp.File("flags.safetensors");
        var viaRecipe = _temp.File("recipe.safetensors");
        Assert.Equal(0, CliRunner.Run("merge", "--base", a, "--model", b + "@IN04-IN08=0.2,M00=-0.1", "--out", viaFlags).ExitCode);
        File.WriteAllText(_temp.File("r.json"), JsonSerializer.Serialize(new { @base = a, models = new[] { new { path = b, weights = "IN04-IN08=0.2,M00=-0.1" } } }));
        Assert.Equal(0, CliRunner.Run("merge", _temp.File("r.json"), "-o", viaRecipe).ExitCode);
        using var f1 = Seamless.Safetensors.SafetensorsFile.Open(viaFlags);
        using var f2 = Seamless.Safetensors.SafetensorsFile.Open(viaRecipe);
        Assert.All(f1.Tensors, t => Assert.Equal(f1.ReadAll(t), f2.ReadAll(f2[t.Name])));
    }

    [Fact]
    public void MergeDryRun_PrintsBlockTableAndWritesNothing()
    {
        var a = Fabricate(1);
        var b = Fabricate(2);
        var r = CliRunner.Run("merge", "--base", a, "--model", b + "@0.25", "--dry-run");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("OUT11", r.Output, StringComparison.Ordinal);
        Assert.Contains("0.25", r.Output, StringComparison.Ordinal);
        Assert.Equal(2, Directory.GetFiles(_temp.Path).Length);
    }

    [Fact]
    public void Contact_WritesModelWithParameters()
    {
        var a = Fabricate(1);
        var b = Fabricate(2);
        var output = _temp.File("contact.safetensors");
        var r = CliRunner.Run("contact", a, b, "--rank", "2", "--out", output);
        Assert.True(r.ExitCode == 0, r.Error);
        var inspect = CliRunner.Run("inspect", output, "--json");
        using var json = JsonDocument.Parse(inspect.Output);
        using var contact = JsonDocument.Parse(json.RootElement.GetProperty("metadata").GetProperty("seamless.contact").GetString()!);
        Assert.Equal(2, contact.RootElement.GetProperty("rank").GetInt32());
    }

    [Fact]
    public void Inspect_Truncated_OneLineErrorNamingFile()
    {
        var a = Fabricate(1);
        var cut = _temp.File("cut.safetensors");
        File.WriteAllBytes(cut, File.ReadAllBytes(a)[..5000]);
        AssertOneLineError(CliRunner.Run("inspect", cut), cut + ": header length");
    }

    [Fact]
    public void Inspect_Pickle_OneLineErrorWithHint()
    {
        var ckpt = _temp.File("model.ckpt");
        File.WriteAllBytes(ckpt, [.. "PK\u0003\u0004"u8, .. new byte[64]]);
        AssertOneLineError(CliRunner.Run("inspect", ckpt), "convert it to .safetensors");
    }

    [Fact]
    public void Inspect_Lora_SaysItIsALora()
    {
        var lora = _temp.File("lora.safetensors");
        new Seamless.Tests.TestSupportCli.TinyFile().Add("lora_unet_x.lora_down.weight").Write(lora);
        var r = CliRunner.Run("inspect", lora);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("LoRA", r.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_MixedArchitectures_OneLineError()
    {
        var a = Fabricate(1);
        var xl = Fabricate(1, "sdxl");
        AssertOneLineError(CliRunner.Run("merge", "--base", a, "--model", xl + "@0.5", "--out", _temp.File("m.safetensors")), "SDXL");
        Assert.False(File.Exists(_temp.File("m.safetensors")));
    }

    [Fact]
    public void Merge_ManyProblems_AllInOneLine()
    {
        var a = Fabricate(1);
        var r = CliRunner.Run("merge", "--base", a, "--model", _temp.File("missing.safetensors") + "@0.5", "--model", a + "@zz", "--dtype", "fp12", "--out", _temp.File("m.safetensors"));
        AssertOneLineError(r, "missing.safetensors not found");
        Assert.Contains("'zz'", r.Error, StringComparison.Ordinal);
        Assert.Contains("fp12", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_Directory_OneLineError()
    {
        var a = Fabricate(1);
        AssertOneLineError(CliRunner.Run("merge", "--base", a, "--model", _temp.Path + "@0.5", "--out", _temp.File("m.safetensors")), "is a directory");
    }

    [Fact]
    public void UnknownOption_UsageErrorExitCode()
    {
        var r = CliRunner.Run("merge", "--frobnicate");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("Error: ", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Fabricate_BadScale_ValidationError()
    {
        var r = CliRunner.Run("fabricate", "--scale", "huge", "--arch", "nope", _temp.File("x.safetensors"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("huge", r.Error, StringComparison.Ordinal);
        Assert.Contains("nope", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Quickstart_RunsEndToEndAndSaysModelsAreTiny()
    {
        var r = CliRunner.Run("quickstart", "--dir", _temp.File("qs"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("tiny and random", r.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(_temp.File("qs/merged.safetensors")));
        Assert.True(File.Exists(_temp.File("qs/contact-rank4.safetensors")));
        Assert.Empty(Directory.GetFiles(_temp.File("qs"), "*.tmp"));

        // The loop closed: a study of 'budget' trials, the recommended merge written, the bench tables for 4 models.
        var export = CliRunner.Run("study", "export", "quickstart", "--format", "json", "--storage", _temp.File("qs/studies.db"));
        using var json = System.Text.Json.JsonDocument.Parse(export.Output);
        Assert.Equal(24, json.RootElement.GetProperty("trials").GetArrayLength());

        // Probes first: the base (all zeros), then each input model alone (its weights 1, the other's 0).
        var probes = json.RootElement.GetProperty("trials").EnumerateArray().Take(3).Select(t => t.GetProperty("params").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble())).ToList();
        Assert.All(probes[0].Values, v => Assert.Equal(0, v));
        Assert.All(probes[1], p => Assert.Equal(p.Key.StartsWith("tiny-sd15-2", StringComparison.Ordinal) ? 1 : 0, p.Value));
        Assert.All(probes[2], p => Assert.Equal(p.Key.StartsWith("tiny-sd15-3", StringComparison.Ordinal) ? 1 : 0, p.Value));
        using (var best = Seamless.Safetensors.SafetensorsFile.Open(_temp.File("qs/best.safetensors")))
        {
            Assert.Contains("seamless.recipe", best.Metadata.Keys);
        }

        using var bench = System.Text.Json.JsonDocument.Parse(File.ReadAllText(_temp.File("qs/bench.json")));
        Assert.Equal(4, bench.RootElement.GetProperty("models").GetArrayLength());
        Assert.Contains("Accuracy by tags per prompt", File.ReadAllText(_temp.File("qs/bench.md")), StringComparison.Ordinal);
        var html = File.ReadAllText(_temp.File("qs/quickstart-report/report.html"));
        Assert.Contains("Held-out check: trial", html, StringComparison.Ordinal);
        Assert.Contains("Accuracy by tags per prompt", html, StringComparison.Ordinal);
        using var heldOut = System.Text.Json.JsonDocument.Parse(File.ReadAllText(_temp.File("qs/quickstart-report/heldout.json")));
        Assert.Equal(["2", "4", "8", "16", "32", "64"], heldOut.RootElement.GetProperty("by_tag_count").EnumerateObject().Select(p => p.Name));
        Assert.Contains("alt=\"samples\"", html, StringComparison.Ordinal);
        Assert.Contains("<th>tiny-sd15-2.safetensors</th>", html, StringComparison.Ordinal);
        var overall = System.Text.RegularExpressions.Regex.Match(html, "<tr><td class=\"l\">overall</td>(.*?)</tr>").Groups[1].Value;
        Assert.NotEmpty(overall);
        Assert.DoesNotContain("<td>—</td>", overall, StringComparison.Ordinal);   // base and both inputs were measured

        // Diversity from the tiny image encoder: in the bench JSON for every model and in the report beside the inputs'.
        Assert.All(bench.RootElement.GetProperty("models").EnumerateArray(), m => Assert.InRange(m.GetProperty("diversity").GetDouble(), 1e-9, 2));
        var diversity = System.Text.RegularExpressions.Regex.Match(html, "<tr><td class=\"l\">diversity</td>(.*?)</tr>").Groups[1].Value;
        Assert.NotEmpty(diversity);
        Assert.DoesNotContain("<td>—</td>", diversity, StringComparison.Ordinal);
    }
}
