using System.Text.Json;
using Seamless.Safetensors;

namespace Seamless.Tests.Commands;

public sealed class SearchCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public SearchCommandTests() => Environment.SetEnvironmentVariable("SEAMLESS_CACHE_DIR", Path.Combine(Path.GetTempPath(), "seamless-cli-tests", "cache"));

    public void Dispose() => _temp.Dispose();

    private void Fabricate(string name, int seed) =>
        Assert.Equal(0, CliRunner.Run("fabricate", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), _temp.File(name)).ExitCode);

    // Checks that the candidate model exists, then scores −(w − 0.1)² of b's M00 weight: the optimum is interior.
    private string Objective()
    {
        var script = _temp.File("score.sh");
        File.WriteAllText(script, """
            #!/bin/sh
            input=$(cat)
            model=$(printf '%s' "$input" | sed -E 's/.*"model":"([^"]*)".*/\1/')
            test -s "$model" || { echo "no candidate model at $model" >&2; exit 2; }
            w=$(printf '%s' "$input" | sed -E 's/.*"b:M00":(-?[0-9.eE+-]+).*/\1/')
            awk -v w="$w" 'BEGIN { print -(w - 0.1) * (w - 0.1) }'
            """);
        return $"sh {script}";
    }

    private string Config(string extra = "")
    {
        Fabricate("a.safetensors", 1);
        Fabricate("b.safetensors", 2);
        Fabricate("c.safetensors", 3);
        var path = _temp.File("search.yaml");
        File.WriteAllText(path, $"""
            name: s1
            storage: studies.db
            base: a.safetensors
            models: [b.safetensors, c.safetensors]
            blocks: [M00, OUT00-OUT03]
            bounds: [-0.05, 0.25]
            objective: {"{"}command: "{Objective()}"{"}"}
            budget: 7
            seed: 2
            {extra}
            """);
        return path;
    }

    [Fact]
    public void Search_ThenBest_WritesRecommendedRecipe()
    {
        var config = Config();
        var r = CliRunner.Run("search", config);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("Recommended: trial", r.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_temp.File("s1-work")));

        // The weights people read are rounded (the recipe and the study keep full precision, checked below).
        var weights = r.Output.Split('\n').Single(l => l.TrimStart().StartsWith("b.safetensors:", StringComparison.Ordinal)).Split(':')[1].Trim().Split(',');
        Assert.Equal(26, weights.Length);
        Assert.All(weights, w => Assert.True(w.Length <= 7, $"'{w}' is not rounded"));
        Assert.Contains(weights, w => w != "0");

        var export = CliRunner.Run("study", "export", "s1", "--format", "json", "--storage", _temp.File("studies.db"));
        using var json = JsonDocument.Parse(export.Output);
        var trials = json.RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(7, trials.Count);
        Assert.All(trials, t => Assert.Equal("complete", t.GetProperty("state").GetString()));
        Assert.All(trials[0].GetProperty("params").EnumerateObject(), p => Assert.Equal(0, p.Value.GetDouble()));
        Assert.Equal(4, trials[0].GetProperty("params").EnumerateObject().Count());

        var best = _temp.File("best.safetensors");
        var b = CliRunner.Run("best", "s1", "--storage", _temp.File("studies.db"), "--out", best);
        Assert.True(b.ExitCode == 0, b.Error);
        using var file = SafetensorsFile.Open(best);
        using var recipe = JsonDocument.Parse(file.Metadata["seamless.recipe"]);
        var number = int.Parse(b.Output.Split("trial ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var chosen = trials[number].GetProperty("params");
        var m00 = recipe.RootElement.GetProperty("models")[0].GetProperty("weights").GetProperty("M00").GetDouble();
        Assert.Equal(chosen.GetProperty("b:M00").GetDouble(), m00, 12);
        Assert.Equal(0, recipe.RootElement.GetProperty("models")[0].GetProperty("weights").GetProperty("IN04").GetDouble());
    }

    [Fact]
    public void Search_LongModelName_WeightsStayOneCopyableLine()
    {
        // People paste the weights into supermerger: a console wrapping them at its width would break the string.
        var name = "b-" + new string('x', 180);
        Fabricate("a.safetensors", 1);
        Fabricate(name + ".safetensors", 2);
        File.WriteAllText(_temp.File("long.yaml"), $"""
            name: long
            storage: studies.db
            base: a.safetensors
            models: [{name}.safetensors]
            blocks: all
            optimizer: random
            budget: 3
            objective: {"{"}command: "echo 0.5"{"}"}
            """);

        var r = CliRunner.Run("search", _temp.File("long.yaml"));

        Assert.True(r.ExitCode == 0, r.Error);
        var line = r.Output.Split('\n').Single(l => l.TrimStart().StartsWith(name + ".safetensors: ", StringComparison.Ordinal));
        Assert.Equal(26, line.Split(": ")[1].Trim().Split(',').Length);
        Assert.Contains(r.Output.Split('\n'), l => l.Trim() == $"Write it with: seamless best long --storage {_temp.File("studies.db")} --out best.safetensors");
    }

    [Fact]
    public void Search_BadConfig_AllProblemsBeforeAnyTrial()
    {
        var config = Config("optimizer: magic");
        File.WriteAllText(config, File.ReadAllText(config).Replace("[M00, OUT00-OUT03]", "[M00, IN12, OUT05-OUT02]", StringComparison.Ordinal).Replace("[-0.05, 0.25]", "[0.3, 0.1]", StringComparison.Ordinal).Replace("c.safetensors]", "missing.safetensors]", StringComparison.Ordinal));
        var r = CliRunner.Run("search", config);
        Assert.Equal(1, r.ExitCode);
        foreach (var expected in new[] { "IN12", "OUT05-OUT02", "reversed", "missing.safetensors", "magic" })
        {
            Assert.Contains(expected, r.Error, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(_temp.File("studies.db")));
    }

    [Fact]
    public void Search_FailingObjective_TrialsFailStudyGoesOn()
    {
        var config = Config();
        File.WriteAllText(config, File.ReadAllText(config).Replace("command: \"sh ", "command: \"exit 3; sh ", StringComparison.Ordinal).Replace("budget: 7", "budget: 3", StringComparison.Ordinal));
        var r = CliRunner.Run("search", config);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no trial completed", r.Error, StringComparison.Ordinal);
        var show = CliRunner.Run("study", "show", "s1", "--storage", _temp.File("studies.db"));
        Assert.Equal(3, show.Output.Split('\n').Count(l => l.Contains("Failed", StringComparison.Ordinal)));
    }

    [Fact]
    public void Search_KeepBestAndSumConstraint_KeepsTopFilesAndFeasibleWeights()
    {
        var config = Config("keep_best: 2\nconstraint: sum_le_1");
        File.WriteAllText(config, File.ReadAllText(config).Replace("[-0.05, 0.25]", "[0, 0.9]", StringComparison.Ordinal));
        var r = CliRunner.Run("search", config);
        Assert.True(r.ExitCode == 0, r.Error);
        var export = CliRunner.Run("study", "export", "s1", "--format", "json", "--storage", _temp.File("studies.db"));
        using var json = JsonDocument.Parse(export.Output);
        var trials = json.RootElement.GetProperty("trials").EnumerateArray().ToList();
        foreach (var t in trials)
        {
            var p = t.GetProperty("params");
            foreach (var group in new[] { "M00", "OUT00-OUT03" })
            {
                Assert.True(p.GetProperty($"b:{group}").GetDouble() + p.GetProperty($"c:{group}").GetDouble() <= 1 + 1e-9);
            }
        }

        var top = trials.OrderByDescending(t => t.GetProperty("value").GetDouble()).Take(2).Select(t => $"s1-trial{t.GetProperty("number").GetInt32():0000}.safetensors").Order(StringComparer.Ordinal);
        Assert.Equal(top, Directory.GetFiles(_temp.File("s1-work")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Search_Rounds_EachRoundsBestIsTheNextBaseAndLineageIsRecorded()
    {
        var config = Config();
        var text = File.ReadAllText(config)
            .Replace("models: [b.safetensors, c.safetensors]\n", string.Empty, StringComparison.Ordinal)
            .Replace("blocks: [M00, OUT00-OUT03]", "blocks: [M00]", StringComparison.Ordinal);
        File.WriteAllText(config, text + "\nrounds: {count: 2, pool: [b.safetensors, c.safetensors], trials: 4}\n");

        // Each round searches one drawn model, so the score reads whichever model's M00 weight is there.
        var script = _temp.File("score.sh");
        File.WriteAllText(script, File.ReadAllText(script).Replace("\"b:M00\"", "\"[a-z]:M00\"", StringComparison.Ordinal));
        var r = CliRunner.Run("search", config);
        Assert.True(r.ExitCode == 0, r.Error);
        using var lineage = JsonDocument.Parse(File.ReadAllText(_temp.File("s1-rounds/lineage.json")));
        var rounds = lineage.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, rounds.Count);
        Assert.Equal(_temp.File("a.safetensors"), rounds[0].GetProperty("Base").GetString());
        Assert.Equal(rounds[0].GetProperty("Output").GetString(), rounds[1].GetProperty("Base").GetString());
        using (var round1 = SafetensorsFile.Open(rounds[1].GetProperty("Output").GetString()!))
        using (var recipe = JsonDocument.Parse(round1.Metadata["seamless.recipe"]))
        {
            Assert.Equal("s1-round0.safetensors", recipe.RootElement.GetProperty("base").GetProperty("name").GetString());
        }

        foreach (var study in new[] { "s1-round0", "s1-round1" })
        {
            var export = CliRunner.Run("study", "export", study, "--format", "json", "--storage", _temp.File("studies.db"));
            using var json = JsonDocument.Parse(export.Output);
            Assert.Equal(4, json.RootElement.GetProperty("trials").GetArrayLength());
        }

        var again = CliRunner.Run("search", "--resume", "s1", "--storage", _temp.File("studies.db"));
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("s1-round1.safetensors", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_TagAccuracyObjective_TrialsScoredWithCategories()
    {
        Fabricate("a.safetensors", 1);
        Fabricate("b.safetensors", 2);
        TinyTaggers.Write(_temp.File("tagger"), 3);
        var path = _temp.File("ta.yaml");
        File.WriteAllText(path, """
            name: ta
            storage: studies.db
            base: a.safetensors
            models: [b.safetensors]
            blocks: [IN00-IN11, M00, OUT00-OUT11]
            bounds: [0, 1]
            budget: 4
            objective:
              tag_accuracy: {backend: toy, tagger: tagger, prompts: 3, tags_per_prompt: 5, images_per_prompt: 2, width: 64, height: 64, cache: none}
            """);
        var r = CliRunner.Run("search", path);
        Assert.True(r.ExitCode == 0, r.Error);
        var export = CliRunner.Run("study", "export", "ta", "--format", "json", "--storage", _temp.File("studies.db"));
        using var json = JsonDocument.Parse(export.Output);
        var trials = json.RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(4, trials.Count);
        Assert.All(trials, t =>
        {
            Assert.Equal("complete", t.GetProperty("state").GetString());
            Assert.InRange(t.GetProperty("value").GetDouble(), 0, 1);
            Assert.True(t.GetProperty("categories").EnumerateObject().Any());
        });

        // The final choice re-measured on held-out prompts, shown in the report next to its search score.
        Assert.True(File.Exists(_temp.File("ta-report/heldout.json")), r.Error);
        using var heldOut = JsonDocument.Parse(File.ReadAllText(_temp.File("ta-report/heldout.json")));
        Assert.Equal(16 * 2 * 5, heldOut.RootElement.GetProperty("pairs").GetInt64());
        Assert.Contains("Held-out check: trial", File.ReadAllText(_temp.File("ta-report/report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void Search_DiversityFloorRelativeToTheBase_MetricsRecordedAndShortfallPenalised()
    {
        Fabricate("a.safetensors", 1);
        Fabricate("b.safetensors", 2);
        TinyTaggers.Write(_temp.File("tagger"), 3);
        Seamless.Tagging.Onnx.Fabrication.TinyEncoderBuilder.Write(_temp.File("encoder"), Seamless.Tagging.Onnx.Fabrication.TinyEncoderWeights.Random(4), 20);
        var path = _temp.File("div.yaml");
        File.WriteAllText(path, """
            name: div
            storage: studies.db
            base: a.safetensors
            models: [b.safetensors]
            blocks: [IN00-IN11, M00, OUT00-OUT11]
            bounds: [0, 1]
            budget: 5
            objective:
              tag_accuracy: {backend: toy, tagger: tagger, encoder: encoder, min_diversity: 1x, prompts: 3, tags_per_prompt: 5, images_per_prompt: 3, held_out: 0, width: 64, height: 64, cache: none}
            """);

        var r = CliRunner.Run("search", path);

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("Diversity floor", r.Error, StringComparison.Ordinal);
        var export = CliRunner.Run("study", "export", "div", "--format", "json", "--storage", _temp.File("studies.db"));
        using var json = JsonDocument.Parse(export.Output);
        var trials = json.RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(5, trials.Count);
        Assert.All(trials, t => Assert.InRange(t.GetProperty("metrics").GetProperty("diversity").GetDouble(), 1e-9, 2));
        foreach (var t in trials.Where(t => t.GetProperty("metrics").TryGetProperty("accuracy", out _)))
        {
            var m = t.GetProperty("metrics");
            Assert.True(m.GetProperty("diversity").GetDouble() < m.GetProperty("min_diversity").GetDouble());
            Assert.Equal(m.GetProperty("accuracy").GetDouble() * m.GetProperty("diversity").GetDouble() / m.GetProperty("min_diversity").GetDouble(), t.GetProperty("value").GetDouble(), 9);
        }

        Assert.Contains(">diversity<", File.ReadAllText(_temp.File("div-report/report.html")), StringComparison.Ordinal);

        // The CSV export has a column per metric, filled for every trial.
        var csv = CliRunner.Run("study", "export", "div", "--format", "csv", "--storage", _temp.File("studies.db")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var column = Array.IndexOf(csv[0].Split(','), "diversity");
        Assert.True(column > 0, csv[0]);
        Assert.All(csv.Skip(1), line => Assert.InRange(double.Parse(line.Split(',')[column], System.Globalization.CultureInfo.InvariantCulture), 1e-9, 2));
    }

    [Fact]
    public void Search_TagAccuracyBadOptions_OneErrorNamingConfigBeforeAnyTrial()
    {
        Fabricate("a.safetensors", 1);
        Fabricate("b.safetensors", 2);
        var path = _temp.File("bad.yaml");
        File.WriteAllText(path, """
            name: bad
            storage: studies.db
            base: a.safetensors
            models: [b.safetensors]
            blocks: [M00]
            objective:
              tag_accuracy: {backend: a1111, tagger: nowhere, prompts: many, colour: blue, device: gpu, min_diversity: lots, vae: a.safetensors=kl.ckpt}
            """);
        var r = CliRunner.Run("search", path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("min_diversity 'lots' is neither", r.Error, StringComparison.Ordinal);
        Assert.Contains("min_diversity needs encoder", r.Error, StringComparison.Ordinal);
        Assert.Contains("a search decodes every candidate with one VAE", r.Error, StringComparison.Ordinal);
        Assert.Contains("bad.yaml", r.Error, StringComparison.Ordinal);
        Assert.Contains("unknown option 'colour'", r.Error, StringComparison.Ordinal);
        Assert.Contains("prompts 'many' is not a valid int32", r.Error, StringComparison.Ordinal);
        Assert.Contains("models_dir is required", r.Error, StringComparison.Ordinal);
        Assert.Contains("nowhere' does not exist", r.Error, StringComparison.Ordinal);
        Assert.Contains("tag_accuracy: device: device 'gpu' is not cpu, cuda or cuda:N", r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("studies.db")));
    }

    [Fact]
    public void Search_TagAccuracyRounds_SampleGridByRoundInTheLastReport()
    {
        Fabricate("a.safetensors", 1);
        Fabricate("b.safetensors", 2);
        Fabricate("c.safetensors", 3);
        TinyTaggers.Write(_temp.File("tagger"), 3);
        var path = _temp.File("rounds.yaml");
        File.WriteAllText(path, """
            name: rr
            storage: studies.db
            base: a.safetensors
            rounds: {count: 2, pool: [b.safetensors, c.safetensors], trials: 3}
            blocks: [IN00-IN11, M00, OUT00-OUT11]
            bounds: [0, 1]
            objective:
              tag_accuracy: {backend: toy, tagger: tagger, prompts: 2, tags_per_prompt: 5, images_per_prompt: 2, held_out: 4, width: 64, height: 64, cache: none}
            """);
        var r = CliRunner.Run("search", path);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.True(File.Exists(_temp.File("rr-rounds/samples-by-round.png")), r.Output + r.Error);
        var grid = new Seamless.Imaging.SkiaImageCodec().Decode(File.ReadAllBytes(_temp.File("rr-rounds/samples-by-round.png")), "grid");
        Assert.Equal(28 + (2 * 160), grid.Height);   // a header and one row per round
        Assert.Contains("samples by round", File.ReadAllText(_temp.File("rr-round1-report/report.html")), StringComparison.Ordinal);
        Assert.Equal(4, Directory.GetFiles(_temp.File("rr-round0-report/samples"), "*.png").Length);

        // The score across rounds: a chart in the rounds folder and in the last round's report.
        var scores = new Seamless.Imaging.SkiaImageCodec().Decode(File.ReadAllBytes(_temp.File("rr-rounds/scores-by-round.png")), "scores");
        Assert.Equal((900, 420), (scores.Width, scores.Height));
        Assert.Contains("score across rounds", File.ReadAllText(_temp.File("rr-round1-report/report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void Search_BlockMapInTheConfig_HonouredByTheStudyAndTheBestMerge()
    {
        // time_embed with BASE and the VAE as its own block: the VAE block is then a searchable group.
        Config("block_map: {time_embed: base, vae: own}");
        File.WriteAllText(_temp.File("search.yaml"), File.ReadAllText(_temp.File("search.yaml")).Replace("blocks: [M00, OUT00-OUT03]", "blocks: [M00, VAE]", StringComparison.Ordinal));
        var r = CliRunner.Run("search", _temp.File("search.yaml"));
        Assert.True(r.ExitCode == 0, r.Error);

        var export = CliRunner.Run("study", "export", "s1", "--format", "json", "--storage", _temp.File("studies.db"));
        using var json = JsonDocument.Parse(export.Output);
        Assert.Contains("b:VAE", json.RootElement.GetProperty("trials")[0].GetProperty("params").EnumerateObject().Select(p => p.Name));

        var best = _temp.File("best.safetensors");
        Assert.Equal(0, CliRunner.Run("best", "s1", "--storage", _temp.File("studies.db"), "--out", best).ExitCode);
        using var file = SafetensorsFile.Open(best);
        using var recipe = JsonDocument.Parse(file.Metadata["seamless.recipe"]);
        Assert.Equal("base", recipe.RootElement.GetProperty("block_map").GetProperty("time_embed").GetString());
        Assert.Equal("own", recipe.RootElement.GetProperty("block_map").GetProperty("vae").GetString());
    }

    [Fact]
    public void Search_BadBlockMap_ReportedWithTheOtherProblems()
    {
        Config("block_map: {time_embed: out11}\nbudget_typo: 3");
        var r = CliRunner.Run("search", _temp.File("search.yaml"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("block_map 'time_embed: out11' is not one of", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_BlocksUnet14_FourteenGroupsAndTheRestFromTheBase()
    {
        Config();
        File.WriteAllText(_temp.File("search.yaml"), File.ReadAllText(_temp.File("search.yaml")).Replace("blocks: [M00, OUT00-OUT03]", "blocks: unet14", StringComparison.Ordinal));
        var r = CliRunner.Run("search", _temp.File("search.yaml"));
        Assert.True(r.ExitCode == 0, r.Error);

        var export = CliRunner.Run("study", "export", "s1", "--format", "json", "--storage", _temp.File("studies.db"));
        using var json = JsonDocument.Parse(export.Output);
        var names = json.RootElement.GetProperty("trials")[0].GetProperty("params").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(28, names.Count);
        Assert.Contains("b:IN10-IN11", names);
        Assert.Contains("c:M01", names);
        Assert.DoesNotContain(names, n => n.EndsWith(":BASE", StringComparison.Ordinal));

        var best = _temp.File("best.safetensors");
        Assert.Equal(0, CliRunner.Run("best", "s1", "--storage", _temp.File("studies.db"), "--out", best).ExitCode);
        using var merged = SafetensorsFile.Open(best);
        using var a = SafetensorsFile.Open(_temp.File("a.safetensors"));
        bool Same(string key) => merged.ReadAll(merged[key]).AsSpan().SequenceEqual(a.ReadAll(a[key]));
        var fromBase = a.Tensors.Select(t => t.Name).Where(k => k.StartsWith("cond_stage_model.", StringComparison.Ordinal) || k.StartsWith("first_stage_model.", StringComparison.Ordinal)
            || k.StartsWith("model.diffusion_model.time_embed.", StringComparison.Ordinal) || k.StartsWith("model.diffusion_model.out.", StringComparison.Ordinal)).ToList();
        Assert.Contains(fromBase, k => k.StartsWith("model.diffusion_model.out.", StringComparison.Ordinal));
        Assert.Contains(fromBase, k => k.StartsWith("model.diffusion_model.time_embed.", StringComparison.Ordinal));
        Assert.All(fromBase, k => Assert.True(Same(k), k));

        // The groups around them were merged (their weights are not 0), so the base's copies are the rule's doing.
        Assert.Contains(a.Tensors, t => t.Name.StartsWith("model.diffusion_model.input_blocks.0.", StringComparison.Ordinal) && !Same(t.Name));
        Assert.Contains(a.Tensors, t => t.Name.StartsWith("model.diffusion_model.middle_block.2.", StringComparison.Ordinal) && !Same(t.Name));
        using var recipe = JsonDocument.Parse(merged.Metadata["seamless.recipe"]);
        Assert.Equal("split", recipe.RootElement.GetProperty("block_map").GetProperty("middle").GetString());
        Assert.Equal("base", recipe.RootElement.GetProperty("block_map").GetProperty("out").GetString());
        Assert.True(recipe.RootElement.GetProperty("models")[0].GetProperty("weights").TryGetProperty("M01", out _));
    }

    [Fact]
    public void Search_BlocksUnet14WithABlockMapOrOnSdxl_Refused()
    {
        Config("block_map: {vae: own}");
        File.WriteAllText(_temp.File("search.yaml"), File.ReadAllText(_temp.File("search.yaml")).Replace("blocks: [M00, OUT00-OUT03]", "blocks: unet14", StringComparison.Ordinal));
        var r = CliRunner.Run("search", _temp.File("search.yaml"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("blocks: unet14 sets the block map itself", r.Error, StringComparison.Ordinal);

        Assert.Equal(0, CliRunner.Run("fabricate", "--arch", "sdxl", "--seed", "4", _temp.File("x1.safetensors")).ExitCode);
        Assert.Equal(0, CliRunner.Run("fabricate", "--arch", "sdxl", "--seed", "5", _temp.File("x2.safetensors")).ExitCode);
        File.WriteAllText(_temp.File("xl.yaml"), $$"""
            name: xl
            storage: studies.db
            base: x1.safetensors
            models: [x2.safetensors]
            blocks: unet14
            objective: {command: "{{Objective()}}"}
            """);
        var xl = CliRunner.Run("search", _temp.File("xl.yaml"));
        Assert.Equal(1, xl.ExitCode);
        Assert.Contains("unet14 is the original's SD1 grouping", xl.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_RoundsNextBaseBestObserved_TheRoundsHighestScoreIsTheNextBase()
    {
        var config = Config();
        var text = File.ReadAllText(config)
            .Replace("models: [b.safetensors, c.safetensors]\n", string.Empty, StringComparison.Ordinal)
            .Replace("blocks: [M00, OUT00-OUT03]", "blocks: [M00]", StringComparison.Ordinal);
        var script = _temp.File("score.sh");
        File.WriteAllText(script, File.ReadAllText(script).Replace("\"b:M00\"", "\"[a-z]:M00\"", StringComparison.Ordinal));

        File.WriteAllText(config, text + "\nrounds: {count: 1, pool: [b.safetensors], trials: 5, next_base: luckiest}\n");
        var bad = CliRunner.Run("search", config);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("rounds.next_base 'luckiest' is not recommended or best_observed", bad.Error, StringComparison.Ordinal);

        File.WriteAllText(config, text + "\nrounds: {count: 1, pool: [b.safetensors], trials: 5, next_base: best_observed}\n");
        var r = CliRunner.Run("search", config);
        Assert.True(r.ExitCode == 0, r.Error);
        using var lineage = JsonDocument.Parse(File.ReadAllText(_temp.File("s1-rounds/lineage.json")));
        var export = CliRunner.Run("study", "export", "s1-round0", "--format", "json", "--storage", _temp.File("studies.db"));
        using var json = JsonDocument.Parse(export.Output);
        var best = json.RootElement.GetProperty("trials").EnumerateArray().MaxBy(t => t.GetProperty("value").GetDouble());
        Assert.Equal(best.GetProperty("number").GetInt32(), lineage.RootElement[0].GetProperty("Trial").GetInt32());
    }
}
