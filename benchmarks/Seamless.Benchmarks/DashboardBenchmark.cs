using System.Diagnostics;
using System.Globalization;
using PuppeteerSharp;
using Seamless.Architecture;
using Seamless.Dashboard;
using Seamless.Reports.Model;
using Seamless.Reports.Writers;
using Seamless.Safetensors;
using Seamless.Search.Merges;
using Seamless.Search.Studies;
using Seamless.Storage.Sqlite;

namespace Seamless.Benchmarks;

/// <summary>
/// How fast the dashboard shows a large study: a merge search of N finished trials over 2 models × 26 blocks (52
/// weights) in SQLite. Measured in one run: the study view's first build (model fit, charts, JSON), a view served
/// from its cache, the page in a real browser (chromium, when installed) until the chart and the trial table are
/// drawn, the delay until a trial written by another connection is in the view, and, as the baseline, writing the
/// static report of the same study.
/// </summary>
internal static class DashboardBenchmark
{
    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var a = new BenchmarkArgs(args);
        var n = int.Parse(a.Get("trials", "10000"), CultureInfo.InvariantCulture);
        var dir = Path.Combine(a.Work, "dashboard-bench");
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        var db = Path.Combine(dir, "studies.db");
        var config = Config(dir, db);
        Write(config, n);

        var clock = Stopwatch.StartNew();
        using (var store = new SqliteStudyStore(db))
        {
            var study = store.FindStudy(config.Name)!;
            ReportWriter.Write(ReportBuilder.Build(study, store.Trials(study.Id), db, DateTimeOffset.UtcNow), Path.Combine(dir, "report"));
        }

        var report = clock.Elapsed.TotalSeconds;

        using var reading = new SqliteStudyStore(db);
        clock.Restart();
        await using var server = await DashboardServer.StartAsync(reading, db, new DashboardOptions { Port = 0 });
        var start = clock.Elapsed.TotalSeconds;
        using var http = new HttpClient { BaseAddress = server.Url };
        var url = $"api/studies/{config.Name}";
        clock.Restart();
        var json = await http.GetByteArrayAsync(url);
        var cold = clock.Elapsed.TotalSeconds;
        var warm = Median(5, async () => await http.GetByteArrayAsync(url));
        var list = Median(5, async () => await http.GetByteArrayAsync("api/studies"));

        var (pageCold, pageWarm) = await BrowserAsync(server.Url, config.Name, db);

        // Live: another connection finishes a trial; how long until the served view has it.
        clock.Restart();
        using (var writing = new SqliteStudyStore(db))
        {
            var study = writing.FindStudy(config.Name)!;
            var p = study.Config.Space.Parameters.ToDictionary(x => x.Name, _ => 0.1);
            writing.Enqueue(study.Id, p);
            var t = writing.ClaimQueued(study.Id, "bench")!;
            writing.Finish(t.Id, "bench", new TrialResult(TrialState.Complete, 0.5, 1e-4, 0.48, 0.52));
        }

        var expected = $"\"trials\":{n + 1},";
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!System.Text.Encoding.UTF8.GetString(await http.GetByteArrayAsync(url)).Contains(expected, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the view never showed the new trial");
            }

            await Task.Delay(20);
        }

        var live = clock.Elapsed.TotalSeconds;
        string F(double s) => s.ToString("F2", CultureInfo.InvariantCulture);
        string P(double? s) => s is { } x ? F(x) : "— (no chromium)";
        var lines = new[]
        {
            $"### Dashboard load ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {n} trials × 52 weights, SQLite)",
            "",
            "| measure | seconds |",
            "|---|---:|",
            $"| baseline: `seamless report` of the same study (read, build, HTML, Markdown, PNG charts) | {F(report)} |",
            $"| server start (first read of the store) | {F(start)} |",
            $"| study view, first build (model fit, SVG charts, {json.Length / 1024.0 / 1024.0:F1} MiB JSON) | {F(cold)} |",
            $"| study view from its cache (median of 5) | {F(warm)} |",
            $"| study list (median of 5) | {F(list)} |",
            $"| page in chromium until chart and table are drawn, view not yet built | {P(pageCold)} |",
            $"| page in chromium until chart and table are drawn, view built | {P(pageWarm)} |",
            $"| a trial finished by another connection, until the served view has it (poll 1 s + rebuild) | {F(live)} |",
            "",
            string.Create(CultureInfo.InvariantCulture, $"First build against the static report: {report / cold:F1}× faster; the page with a built view loads in {P(pageWarm)} s."),
        };
        foreach (var l in lines)
        {
            Console.WriteLine(l);
        }

        File.AppendAllLines(Path.Combine(a.Work, "results.md"), lines.Append(""));
        return 0;
    }

    private static MergeSearchConfig Config(string dir, string db)
    {
        var blocks = BlockMap.LayoutOf(ModelArchitecture.SD1).Blocks.Where(b => b != BlockLayout.Vae).ToList();
        return new MergeSearchConfig("big", db, Path.Combine(dir, "a.safetensors"), [Path.Combine(dir, "b.safetensors"), Path.Combine(dir, "c.safetensors")], "weighted_sum",
            DType.F16, BlockMapOptions.Default, blocks.Select(b => new BlockGroup(b, [b], 0, 1)).ToList(), new Dictionary<string, double>(), [], "true", null, "gp", 20000, 1,
            Path.Combine(dir, "work"), ModelArchitecture.SD1, SumAtMostOne: true);
    }

    private static void Write(MergeSearchConfig config, int n)
    {
        var rng = new Random(1);
        var studyConfig = MergeSearch.StudyConfig(config);
        var now = DateTimeOffset.UtcNow.AddHours(-n / 100.0);
        var trials = new List<Trial>(n);
        for (var i = 0; i < n; i++)
        {
            var p = studyConfig.Space.Parameters.ToDictionary(x => x.Name, _ => Math.Round(rng.NextDouble() * 0.5, 4));
            var v = 0.5 + (0.1 * rng.NextDouble()) + (0.05 * p.Values.Take(4).Average());
            var categories = new Dictionary<string, double> { ["character"] = v + 0.03, ["nature"] = v - 0.05, ["composition"] = v };
            var started = now.AddSeconds(36 * i);
            trials.Add(new Trial(i + 1, i, TrialState.Complete, p, v, 1e-4, v - 0.02, v + 0.02, categories, Worker: "gpu0", Started: started, Finished: started.AddSeconds(35), Attempts: 1));
        }

        using var store = new SqliteStudyStore(config.Storage);
        store.Import(studyConfig, trials);
    }

    private static double Median(int times, Func<Task> action)
    {
        var seconds = new List<double>();
        for (var i = 0; i < times; i++)
        {
            var clock = Stopwatch.StartNew();
            action().GetAwaiter().GetResult();
            seconds.Add(clock.Elapsed.TotalSeconds);
        }

        return seconds.Order().ElementAt(times / 2);
    }

    /// <summary>Page loads in chromium: first with the view not built (a second study), then the built one; null without chromium.</summary>
    private static async Task<(double? Cold, double? Warm)> BrowserAsync(Uri server, string name, string db)
    {
        var chromium = new[] { Environment.GetEnvironmentVariable("SEAMLESS_CHROMIUM"), "/usr/bin/chromium" }.FirstOrDefault(File.Exists);
        if (chromium is null)
        {
            return (null, null);
        }

        // A copy of the study under another name, so its view has never been built.
        using (var store = new SqliteStudyStore(db))
        {
            var study = store.FindStudy(name)!;
            store.Import(study.Config with { Name = name + "-copy" }, store.Trials(study.Id));
        }

        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions { Headless = true, ExecutablePath = chromium, Args = ["--no-sandbox", "--disable-gpu"] });
        async Task<double> Load(string study)
        {
            var page = await browser.NewPageAsync();
            await page.SetViewportAsync(new ViewPortOptions { Width = 1400, Height = 900 });
            var clock = Stopwatch.StartNew();
            await page.GoToAsync(new Uri(server, $"#/study/{study}").ToString(), WaitUntilNavigation.Load);
            await page.WaitForFunctionAsync("() => document.querySelectorAll('#trials tbody tr').length > 0 && document.querySelector('#scores-chart svg path.trial')", new WaitForFunctionOptions { Timeout = 120_000, PollingInterval = 10 });
            var seconds = clock.Elapsed.TotalSeconds;
            await page.CloseAsync();
            return seconds;
        }

        // The copy appears once the feed has read the store again.
        await Task.Delay(1500);
        var cold = await Load(name + "-copy");
        await Load(name);
        var warm = Median(3, async () => await Load(name));
        return (cold, warm);
    }
}
