using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Seamless.Benchmarks.Landscapes;
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
/// evaluations to come within 0.01 of the optimum with q = 4 points in flight (asynchronous batch) against sequential.
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
    /// landscape of the search benchmark: evaluations each needs until its recommended point is within 0.01 of the
    /// optimum (the search issue's target), and regret at equal evaluation counts.
    /// </summary>
    private static List<string> Batch(BenchmarkArgs a)
    {
        var d = int.Parse(a.Get("d", "18"), CultureInfo.InvariantCulture);
        var seeds = int.Parse(a.Get("seeds", "10"), CultureInfo.InvariantCulture);
        var e = int.Parse(a.Get("evals", "40"), CultureInfo.InvariantCulture);
        var cap = int.Parse(a.Get("max-evals", "150"), CultureInfo.InvariantCulture);
        const int q = 4;
        const double within = 0.01;
        var rows = new List<string>();
        var checkpoints = new[] { e / 2, e, 2 * e };
        var regretSeq = checkpoints.ToDictionary(c => c, _ => new List<double>());
        var regretBatch = checkpoints.ToDictionary(c => c, _ => new List<double>());
        var seqCounts = new List<int>();
        var batchCounts = new List<int>();
        for (var seed = 1; seed <= seeds; seed++)
        {
            var landscape = new SyntheticLandscape(d, seed);
            var goal = landscape.Optimum - within;
            var seqCurve = Curve(landscape, seed, 1, 2 * e, cap, goal);
            var batchCurve = Curve(landscape, seed, q, 2 * e, cap, goal);
            foreach (var c in checkpoints)
            {
                regretSeq[c].Add(landscape.Optimum - seqCurve[c - 1]);
                regretBatch[c].Add(landscape.Optimum - batchCurve[c - 1]);
            }

            var seqEvals = EvaluationsTo(seqCurve, goal, cap);
            var batchEvals = EvaluationsTo(batchCurve, goal, cap);
            seqCounts.Add(seqEvals);
            batchCounts.Add(batchEvals);
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"| {seed} | {Count(seqEvals, cap)} | {Count(batchEvals, cap)} | {(seqEvals > cap || batchEvals > cap ? "–" : ((double)batchEvals / seqEvals).ToString("F2", CultureInfo.InvariantCulture))} |"));
            Console.Error.WriteLine(rows[^1]);
        }

        var seqMedian = Median(seqCounts);
        var batchMedian = Median(batchCounts);
        var lines = new List<string>
        {
            $"### Batch proposals: q = 4 in flight against sequential (synthetic landscape d = {d}, default `gp` optimiser, {seeds} seeds, {DateTime.UtcNow:yyyy-MM-dd})",
            "",
            $"Evaluations until the recommended point is first within {within} of the optimum (cap {cap}; \"> {cap}\" counts as {cap + 1} in the median).",
            "",
            "| seed | sequential | q = 4 in flight | ratio |",
            "|---:|---:|---:|---:|",
        };
        lines.AddRange(rows);
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"| median | {Count(seqMedian, cap)} | {Count(batchMedian, cap)} | **{batchMedian / seqMedian:F2}** |"));
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

    private static int EvaluationsTo(double[] curve, double goal, int cap)
    {
        var i = Array.FindIndex(curve, v => v >= goal);
        return i < 0 ? cap + 1 : i + 1;
    }

    private static string Count(double n, int cap) => n > cap ? $"> {cap}" : n.ToString("0.#", CultureInfo.InvariantCulture);

    private static double Median(List<int> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2.0;
    }

    /// <summary>
    /// True accuracy of the best recommended point so far after each evaluation, with q points in flight; runs at least
    /// <paramref name="evaluations"/>, then stops once the goal is reached or at <paramref name="cap"/> (the rest of the
    /// curve repeats its last value).
    /// </summary>
    private static double[] Curve(SyntheticLandscape landscape, int seed, int q, int evaluations, int cap, double goal)
    {
        var noise = new Random(seed * 7919);
        var optimizer = new BayesianOptimizer();
        var observations = new List<Observation>();
        var pending = new Queue<double[]>();
        var length = Math.Max(evaluations, cap);
        var curve = new double[length];
        var best = double.NegativeInfinity;
        for (var i = 0; i < length; i++)
        {
            if (i >= evaluations && best >= goal)
            {
                curve[i] = best;
                continue;
            }

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
        public async Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, double fidelity, CancellationToken cancellationToken)
        {
            using var response = await http.PostAsJsonAsync("/score", new { @params = parameters }, cancellationToken);
            response.EnsureSuccessStatusCode();
            var score = (await response.Content.ReadFromJsonAsync<HttpScore>(cancellationToken))!;
            return new ObjectiveResult(score.Value, Count: score.N);
        }
    }
}
