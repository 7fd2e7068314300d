using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Seamless.Search.Objectives;
using Seamless.Search.Optimizers;
using Seamless.Search.Space;
using Seamless.Search.Studies;
using Seamless.Storage.Postgres;
using Seamless.Storage.Sqlite;

namespace Seamless.Benchmarks;

/// <summary>
/// Scale-out: N workers (StudyRunners, each with its own store connection, as N processes or machines would have) on
/// one study, each scoring over HTTP on its own loopback "backend" that answers after a fixed latency (a GPU drawing
/// a candidate's images). Trials/hour for each N against N × the single-worker rate measured in the same run; and
/// evaluations to reach the sequential search's result when q = 4 points are in flight (asynchronous batch).
/// </summary>
internal static class ScaleOutBenchmark
{
    public static int Run(string[] args)
    {
        var a = new BenchmarkArgs(args);
        Directory.CreateDirectory(a.Work);
        var lines = new List<string>();
        if (!a.Has("skip-throughput"))
        {
            lines.AddRange(Throughput(a).GetAwaiter().GetResult());
        }

        if (!a.Has("skip-batch"))
        {
            lines.AddRange(Batch(a));
        }

        foreach (var l in lines)
        {
            Console.WriteLine(l);
        }

        File.AppendAllLines(Path.Combine(a.Work, "results.md"), lines.Append(""));
        return 0;
    }

    private static async Task<List<string>> Throughput(BenchmarkArgs a)
    {
        var workers = a.Get("workers", "1,2,4,8").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var latency = TimeSpan.FromMilliseconds(double.Parse(a.Get("latency-ms", "2000"), CultureInfo.InvariantCulture));
        var perWorker = int.Parse(a.Get("trials-per-worker", "8"), CultureInfo.InvariantCulture);
        var optimizer = a.Get("optimizer", "gp");
        var pg = Environment.GetEnvironmentVariable("SEAMLESS_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("SEAMLESS_TEST_POSTGRES");
        var storage = pg is null ? "SQLite (set SEAMLESS_BENCH_POSTGRES for PostgreSQL)" : "PostgreSQL";
        var servers = new List<WebApplication>();
        var urls = new List<Uri>();
        for (var i = 0; i < workers.Max(); i++)
        {
            var (app, url) = await StartBackend(latency);
            servers.Add(app);
            urls.Add(url);
        }

        var rows = new List<(int N, int Trials, double Seconds, double PerHour)>();
        foreach (var n in workers)
        {
            var budget = perWorker * n;
            var name = $"scale-{n}-{Guid.NewGuid():N}";
            Func<IStudyStore> open = pg is null
                ? () => new SqliteStudyStore(Path.Combine(a.Work, "scaleout.db"))
                : () => new PostgresStudyStore(pg);
            StudyRecord study;
            using (var s = open())
            {
                var space = new SearchSpace(Enumerable.Range(0, 26).Select(i => new SearchParameter($"p{i:00}", -0.05, 0.25)).ToList());
                study = s.CreateStudy(new StudyConfig(name, space, optimizer, budget, 1));
            }

            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, n).Select(w => Task.Run(async () =>
            {
                using var store = open();
                using var http = new HttpClient { BaseAddress = urls[w] };
                var runner = new StudyRunner(store, optimizer == "gp" ? new BayesianOptimizer() : new QuasiRandomSearch(), new HttpObjective(http), $"bench:{Environment.ProcessId}#{w}")
                {
                    WaitInterval = TimeSpan.FromMilliseconds(100),
                };
                await runner.RunAsync(study);
            })));
            var seconds = clock.Elapsed.TotalSeconds;
            using (var s = open())
            {
                var done = s.Trials(study.Id).Count(t => t.State == TrialState.Complete);
                rows.Add((n, done, seconds, done / seconds * 3600));
            }

            Console.Error.WriteLine($"{n} workers: {rows[^1].Trials} trials in {seconds:F1} s");
        }

        foreach (var app in servers)
        {
            await app.DisposeAsync();
        }

        var one = rows.First(r => r.N == 1).PerHour;
        var lines = new List<string>
        {
            $"### Scale-out throughput ({storage}, backend latency {latency.TotalSeconds:0.#} s per trial, {perWorker} trials per worker, optimiser {optimizer}, 26 parameters, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd})",
            "",
            "| workers | trials | seconds | trials/hour | vs N × one worker |",
            "|---:|---:|---:|---:|---:|",
        };
        lines.AddRange(rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"| {r.N} | {r.Trials} | {r.Seconds:F1} | {r.PerHour:F0} | {r.PerHour / (one * r.N):P0} |")));
        lines.Add("");
        return lines;
    }

    /// <summary>
    /// Sequential GP (q = 1) against asynchronous q = 4 (four points pending while one completes) on the synthetic
    /// landscape: evaluations each needs until its recommended point is as good as the sequential search's after E.
    /// </summary>
    private static List<string> Batch(BenchmarkArgs a)
    {
        var d = int.Parse(a.Get("d", "18"), CultureInfo.InvariantCulture);
        var seeds = int.Parse(a.Get("seeds", "5"), CultureInfo.InvariantCulture);
        var e = int.Parse(a.Get("evals", "40"), CultureInfo.InvariantCulture);
        const int q = 4;
        var ratios = new List<double>();
        var rows = new List<string>();
        var checkpoints = new[] { e / 2, e, 2 * e };
        var regretSeq = checkpoints.ToDictionary(c => c, _ => new List<double>());
        var regretBatch = checkpoints.ToDictionary(c => c, _ => new List<double>());
        for (var seed = 1; seed <= seeds; seed++)
        {
            var landscape = new SyntheticLandscape(d, seed);
            var seqFull = Curve(landscape, seed, 1, 2 * e);
            var seqCurve = seqFull[..e];
            var target = seqCurve[^1];
            var batchCurve = Curve(landscape, seed, q, 2 * e);
            foreach (var c in checkpoints)
            {
                regretSeq[c].Add(landscape.Optimum - seqFull[c - 1]);
                regretBatch[c].Add(landscape.Optimum - batchCurve[c - 1]);
            }

            var reached = Array.FindIndex(batchCurve, v => v >= target - 1e-12);
            var seqReached = Array.FindIndex(seqCurve, v => v >= target - 1e-12) + 1;
            var batchEvals = reached < 0 ? 2 * e : reached + 1;
            ratios.Add((double)batchEvals / seqReached);
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"| {seed} | {target:F4} | {seqReached} | {(reached < 0 ? $"> {2 * e}" : batchEvals.ToString(CultureInfo.InvariantCulture))} | {(double)batchEvals / seqReached:F2} |"));
            Console.Error.WriteLine(rows[^1]);
        }

        var lines = new List<string>
        {
            $"### Batch proposals: q = 4 in flight against sequential (synthetic landscape d = {d}, GP log EI, {seeds} seeds, {DateTime.UtcNow:yyyy-MM-dd})",
            "",
            $"Target per seed: the true accuracy of the sequential search's recommended point after {e} evaluations.",
            "",
            "| seed | target | sequential evals to target | q = 4 evals to target | ratio |",
            "|---:|---:|---:|---:|---:|",
        };
        lines.AddRange(rows);
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"| mean | | | | **{ratios.Average():F2}** (median {ratios.Order().ElementAt(ratios.Count / 2):F2}) |"));
        lines.Add("");
        lines.Add("Mean regret (optimum − true accuracy of the best recommended point so far) at equal evaluation counts:");
        lines.Add("");
        lines.Add("| search | " + string.Join(" | ", checkpoints.Select(c => $"{c} evals")) + " |");
        lines.Add("|---|" + string.Concat(checkpoints.Select(_ => "---:|")));
        lines.Add("| sequential (q = 1) | " + string.Join(" | ", checkpoints.Select(c => regretSeq[c].Average().ToString("F4", CultureInfo.InvariantCulture))) + " |");
        lines.Add("| q = 4 in flight | " + string.Join(" | ", checkpoints.Select(c => regretBatch[c].Average().ToString("F4", CultureInfo.InvariantCulture))) + " |");
        lines.Add("");
        return lines;
    }

    /// <summary>True accuracy of the recommended point after each evaluation, with q points in flight.</summary>
    private static double[] Curve(SyntheticLandscape landscape, int seed, int q, int evaluations)
    {
        var noise = new Random(seed * 7919);
        var optimizer = new BayesianOptimizer();
        var observations = new List<Observation>();
        var pending = new Queue<double[]>();
        var curve = new double[evaluations];
        var best = double.NegativeInfinity;
        for (var i = 0; i < evaluations; i++)
        {
            while (pending.Count < q)
            {
                pending.Enqueue(optimizer.Ask(landscape.Dimensions, observations, pending.ToList(), 1, seed + (observations.Count * 31) + pending.Count)[0]);
            }

            var x = pending.Dequeue();
            var y = landscape.Observe(x, noise);
            observations.Add(new Observation(x, y, y * (1 - y) / landscape.Pairs));
            best = Math.Max(best, landscape.Accuracy(optimizer.Incumbent(observations).Point));
            curve[i] = best;
        }

        return curve;
    }

    private static async Task<(WebApplication App, Uri Url)> StartBackend(TimeSpan latency)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/score", async (HttpRequestBody body) =>
        {
            await Task.Delay(latency);
            var v = 0.5 + (0.1 * Math.Sin(body.Params.Values.Sum()));
            return new { value = v, n = 20000 };
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address));
    }

    private sealed record HttpRequestBody(Dictionary<string, double> Params);

    private sealed record HttpScore(double Value, long N);

    private sealed class HttpObjective(HttpClient http) : IObjective
    {
        public async Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, string? modelPath, double fidelity, CancellationToken cancellationToken)
        {
            using var response = await http.PostAsJsonAsync("/score", new { @params = parameters }, cancellationToken);
            response.EnsureSuccessStatusCode();
            var score = (await response.Content.ReadFromJsonAsync<HttpScore>(cancellationToken))!;
            return new ObjectiveResult(score.Value, Count: score.N);
        }
    }
}
