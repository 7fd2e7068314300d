using System.Globalization;
using System.Text.Json;
using Seamless.Architecture;
using Seamless.Evaluation.Fabrication;
using Seamless.Tagging.Onnx.Fabrication;
using Seamless.Tests.Fakes;

namespace Seamless.Tests.Commands;

public sealed class WorkerCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public WorkerCommandTests() => Environment.SetEnvironmentVariable("SEAMLESS_CACHE_DIR", Path.Combine(Path.GetTempPath(), "seamless-cli-tests", "cache"));

    public void Dispose() => _temp.Dispose();

    private void Fabricate(string name, int seed) =>
        Assert.Equal(0, CliRunner.Run("fabricate", "--seed", seed.ToString(CultureInfo.InvariantCulture), _temp.File(name)).ExitCode);

    /// <summary>The base and the model every search here merges.</summary>
    private void FabricateInputs()
    {
        Fabricate("a.safetensors", 1);
        Fabricate("b.safetensors", 2);
    }

    /// <summary>An A1111 fake whose models folder is <paramref name="folder"/> under the test's folder.</summary>
    private Task<FakeA1111Server> BackendAsync(string folder)
    {
        Directory.CreateDirectory(_temp.File(folder));
        return FakeA1111Server.StartAsync(_temp.File(folder));
    }

    private string Tagger() => TinyTaggers.Write(_temp.File("tagger"), 5);

    /// <summary>Writes s.yaml: a 26-block search of b into a whose tag accuracy is drawn on two A1111 fakes, plus <paramref name="options"/>.</summary>
    private void WriteTwoBackendSearch(string name, int budget, FakeA1111Server first, FakeA1111Server second, params string[] options)
    {
        var extra = string.Concat(options.Select(o => $"\n    {o}"));
        File.WriteAllText(_temp.File("s.yaml"), $"""
            name: {name}
            storage: studies.db
            base: a.safetensors
            models: [b.safetensors]
            blocks: [IN00-IN11, M00, OUT00-OUT11]
            optimizer: random
            budget: {budget}
            objective:
              tag_accuracy:
                backend: a1111
                url: [{first.Url}, {second.Url}]
                models_dir: [srv1, srv2]
                tagger: {Tagger()}
                prompts: 2
                tags_per_prompt: 4
                images_per_prompt: 2
                width: 64
                height: 64
                cache: none{extra}
            """);
    }

    private JsonElement[] Trials(string study, string? storage = null)
    {
        var export = CliRunner.Run("study", "export", study, "--format", "json", "--storage", storage ?? _temp.File("studies.db"));
        using var json = JsonDocument.Parse(export.Output);
        return json.RootElement.GetProperty("trials").EnumerateArray().Select(t => t.Clone()).ToArray();
    }

    [Fact]
    public async Task Search_TwoA1111Backends_TheHeldOutCheckIsSharedBetweenThem()
    {
        FabricateInputs();
        await using var one = await BackendAsync("srv1");
        await using var two = await BackendAsync("srv2");
        WriteTwoBackendSearch("shared", 3, one, two, "held_out: 8");
        var r = CliRunner.Run("search", _temp.File("s.yaml"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("measured on 2 backends", r.Error, StringComparison.Ordinal);

        // The search's 2 prompts are drawn once per trial; every closing prompt (held-out, tags per prompt) once.
        static string Prompt(JsonElement body) => body.GetProperty("prompt").GetString()!;
        var all = one.Txt2ImgBodies.Concat(two.Txt2ImgBodies).Select(Prompt).ToList();
        var closing = all.GroupBy(p => p).Where(g => g.Count() == 1).Select(g => g.Key).ToHashSet();
        Assert.Equal(3 * 2, all.Count - closing.Count);
        Assert.True(closing.Count >= 8, $"{closing.Count} closing prompts");
        Assert.True(one.Txt2ImgBodies.Count(b => closing.Contains(Prompt(b))) >= 2, "the first backend took no closing work");
        Assert.True(two.Txt2ImgBodies.Count(b => closing.Contains(Prompt(b))) >= 2, "the second backend took no closing work");

        using var heldOut = JsonDocument.Parse(File.ReadAllText(_temp.File("shared-report/heldout.json")));
        Assert.Equal(8, heldOut.RootElement.GetProperty("prompts").GetInt32());
        Assert.Equal(8 * 2 * 4, heldOut.RootElement.GetProperty("pairs").GetInt64());
    }

    [Fact]
    public async Task Search_OneBackendOutOfTrialsFirst_StartsTheHeldOutCheckWhileTheOtherDraws()
    {
        FabricateInputs();
        await using var quick = await BackendAsync("srv1");
        await using var slow = await BackendAsync("srv2");
        slow.ImageDelay = TimeSpan.FromMilliseconds(1000);
        WriteTwoBackendSearch("early", 3, quick, slow, "early_stop: false", "held_out: 8");
        var r = CliRunner.Run("search", _temp.File("s.yaml"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("started on the free backend", r.Error, StringComparison.Ordinal);

        // The quick backend drew closing prompts before the slow one had answered its last search prompt.
        var search = quick.Txt2ImgSpans.Concat(slow.Txt2ImgSpans).GroupBy(s => s.Prompt).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var firstClosing = quick.Txt2ImgSpans.Where(s => !search.Contains(s.Prompt)).Min(s => s.Received);
        var lastSearch = slow.Txt2ImgSpans.Where(s => search.Contains(s.Prompt)).Max(s => s.Answered);
        Assert.True(firstClosing < lastSearch, $"closing work began {(firstClosing - lastSearch).TotalMilliseconds:0} ms after the last trial's last image");

        // Kept or measured again, the saved check is of the trial recommended at the end.
        var line = r.Error.Split('\n').Single(l => l.Contains("Held-out check: trial", StringComparison.Ordinal));
        using var heldOut = JsonDocument.Parse(File.ReadAllText(_temp.File("early-report/heldout.json")));
        Assert.Contains($"Held-out check: trial {heldOut.RootElement.GetProperty("trial").GetInt32()} ", line, StringComparison.Ordinal);
        Assert.Contains($"Recommended: trial {heldOut.RootElement.GetProperty("trial").GetInt32()},", r.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_TwoA1111BackendsOneFailing_AllTrialsScoredByTheHealthyOne()
    {
        FabricateInputs();
        await using var healthy = await BackendAsync("srv1");
        await using var broken = await BackendAsync("srv2");
        broken.Fail500 = 100_000;
        WriteTwoBackendSearch("multi", 5, healthy, broken, "retries: 0", "set_aside: 1", "held_out: 0", "vae: kl-f8-anime2.ckpt");
        var r = CliRunner.Run("search", _temp.File("s.yaml"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("2 runners", r.Error, StringComparison.Ordinal);
        Assert.All(healthy.Txt2ImgBodies, b => Assert.Equal("kl-f8-anime2.ckpt", b.GetProperty("override_settings").GetProperty("sd_vae").GetString()));
        Assert.Contains("set aside", r.Error, StringComparison.Ordinal);

        var trials = Trials("multi");
        Assert.Equal(5, trials.Length);
        Assert.True(trials.All(t => t.GetProperty("state").GetString() == "complete"), string.Join("\n", trials.Select(t => t.GetRawText())) + r.Error);
        Assert.Equal(5 * 2, healthy.Txt2ImgBodies.Count);
        Assert.True(broken.Txt2ImgBodies.Count > 0, r.Error);
        Assert.Empty(Directory.GetFiles(_temp.File("srv1"), "*.safetensors", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(_temp.File("srv2"), "*.safetensors", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Worker_JoinsARunningSearch_TrialsSharedNoneTwice()
    {
        FabricateInputs();
        var script = _temp.File("score.sh");
        // Every trial holds until the test has seen the search and the worker both running one, then all finish.
        File.WriteAllText(script, $"#!/bin/sh\ncat >/dev/null\nwhile [ ! -e '{_temp.File("joined")}' ]; do sleep 0.05; done\necho 0.5\n");
        File.WriteAllText(_temp.File("s.yaml"), $"""
            name: shared
            storage: studies.db
            base: a.safetensors
            models: [b.safetensors]
            blocks: [M00, OUT00-OUT03]
            optimizer: random
            budget: 12
            objective: {"{"}command: "sh {script}"{"}"}
            """);
        var search = Task.Run(() => CliRunner.Run("search", _temp.File("s.yaml")));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (RunningWorkers().Count < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var worker = Task.Run(() => CliRunner.Run("worker", "shared", "--storage", _temp.File("studies.db"), "--parallel", "2"));
        while (RunningWorkers().Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(3, RunningWorkers().Count);
        File.WriteAllText(_temp.File("joined"), string.Empty);
        var s = await search;
        var w = await worker;
        Assert.True(s.ExitCode == 0, s.Error);
        Assert.True(w.ExitCode == 0, w.Error);

        var trials = Trials("shared");
        Assert.Equal(12, trials.Length);
        Assert.All(trials, t => Assert.Equal("complete", t.GetProperty("state").GetString()));
        Assert.Equal(12, trials.Select(t => t.GetProperty("params").GetRawText()).Distinct().Count());
        Assert.Equal(3, trials.Select(t => t.GetProperty("worker").GetString()).Distinct().Count());
    }

    /// <summary>The workers with a running trial now (the search's runner and the worker's two).</summary>
    private HashSet<string> RunningWorkers()
    {
        if (!File.Exists(_temp.File("studies.db")))
        {
            return [];
        }

        try
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_temp.File("studies.db")};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT DISTINCT worker FROM trials WHERE state = 'Running'";
            using var reader = cmd.ExecuteReader();
            var workers = new HashSet<string>();
            while (reader.Read())
            {
                workers.Add(reader.GetString(0));
            }

            return workers;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return [];
        }
    }

    [Fact]
    public void Worker_UnknownStudy_OneClearError()
    {
        Fabricate("a.safetensors", 1);
        File.WriteAllText(_temp.File("studies.db"), "");
        var r = CliRunner.Run("worker", "nope", "--storage", _temp.File("studies.db"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no study named 'nope'", r.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// A search process on a PostgreSQL study is killed with SIGKILL while a trial runs; a worker that joins later finds
    /// the dead process's trial (same machine, process gone), re-queues it and finishes the budget: every trial scored
    /// once, the interrupted one on its second attempt, no point twice.
    /// </summary>
    [PostgresFact]
    public void Worker_SearchProcessKilledMidTrialOnPostgres_TrialRequeuedAndScoredOnce()
    {
        using var database = new ScratchDatabase();
        FabricateInputs();
        var script = _temp.File("score.sh");
        // The third trial holds (marking itself) until released: the kill lands while it certainly runs.
        File.WriteAllText(script, $"#!/bin/sh\nn=$(cat | sed -E 's/.*\"trial\": *([0-9]+).*/\\1/')\n" +
            $"if [ \"$n\" -ge 2 ] && [ ! -e '{_temp.File("release")}' ]; then touch '{_temp.File("running")}'; while [ ! -e '{_temp.File("release")}' ]; do sleep 0.05; done; fi\necho 0.5\n");
        File.WriteAllText(_temp.File("s.yaml"), $"""
            name: killed
            base: a.safetensors
            models: [b.safetensors]
            blocks: [M00, OUT00-OUT03]
            optimizer: random
            budget: 10
            objective: {"{"}command: "sh {script}"{"}"}
            """);

        using (var process = CliProcess.Start("search", _temp.File("s.yaml"), "--storage", database.Uri))
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (!File.Exists(_temp.File("running")) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }

            Assert.True(File.Exists(_temp.File("running")), $"trial 2 never started: {process.Errors}");
            process.Kill();
        }

        File.WriteAllText(_temp.File("release"), string.Empty);
        var afterKill = Trials("killed", database.Uri);
        Assert.Equal([("0", "complete"), ("1", "complete"), ("2", "running")], afterKill.Select(t => (t.GetProperty("number").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), t.GetProperty("state").GetString())));
        const int interrupted = 2;

        var worker = CliRunner.Run("worker", "killed", "--storage", database.Uri);
        Assert.True(worker.ExitCode == 0, worker.Error);
        var trials = Trials("killed", database.Uri);
        Assert.Equal(10, trials.Length);
        Assert.All(trials, t => Assert.Equal("complete", t.GetProperty("state").GetString()));
        Assert.Equal(10, trials.Select(t => t.GetProperty("params").GetRawText()).Distinct().Count());
        var again = trials.Single(t => t.GetProperty("number").GetInt32() == interrupted);
        Assert.Equal(2, again.GetProperty("attempts").GetInt32());
    }
}
