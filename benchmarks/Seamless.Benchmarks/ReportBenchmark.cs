using System.Diagnostics;
using System.Globalization;
using Seamless.Reports.Model;
using Seamless.Reports.Writers;
using Seamless.Search.Space;
using Seamless.Search.Studies;
using Seamless.Storage.Sqlite;

namespace Seamless.Benchmarks;

/// <summary>
/// Report rendering time for a large study: N finished trials over d parameters with categories, read from SQLite,
/// built into report data and written as HTML + Markdown + charts.
/// </summary>
internal static class ReportBenchmark
{
    private static readonly string[] Categories = ["character", "character/hair", "composition", "nature", "objects", "other"];

    public static int Run(string[] args)
    {
        var a = new BenchmarkArgs(args);
        var n = int.Parse(a.Get("trials", "1000"), CultureInfo.InvariantCulture);
        var d = int.Parse(a.Get("dims", "26"), CultureInfo.InvariantCulture);
        var dir = Path.Combine(a.Work, "report-bench");
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "studies.db");
        var rng = new Random(1);
        using (var store = new SqliteStudyStore(path))
        {
            var space = new SearchSpace(Enumerable.Range(0, d).Select(i => new SearchParameter($"b:P{i:00}", -0.05, 0.25)).ToList());
            var study = store.CreateStudy(new StudyConfig("big", space, "gp", n, 1));
            var trials = new List<Trial>(n);
            for (var i = 0; i < n; i++)
            {
                var p = space.Parameters.ToDictionary(x => x.Name, x => x.FromUnit(rng.NextDouble()));
                var v = 0.5 + (0.1 * rng.NextDouble());
                var categories = Categories.ToDictionary(c => c, _ => v + (0.05 * rng.NextDouble()));
                trials.Add(new Trial(i + 1, i, TrialState.Complete, p, v, 1e-4, v - 0.02, v + 0.02, categories, Finished: DateTimeOffset.UtcNow, Started: DateTimeOffset.UtcNow));
            }

            store.Import(study.Config with { Name = "big-imported" }, trials);
        }

        var clock = Stopwatch.StartNew();
        ReportFiles files;
        using (var store = new SqliteStudyStore(path))
        {
            var study = store.FindStudy("big-imported")!;
            var data = ReportBuilder.Build(study, store.Trials(study.Id), path, DateTimeOffset.UtcNow);
            files = ReportWriter.Write(data, Path.Combine(dir, "report"));
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var html = new FileInfo(files.Html).Length;
        var lines = new[]
        {
            $"### Report rendering ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores)",
            "",
            "| trials | parameters | seconds (read + build + HTML + Markdown + charts) | report.html |",
            "|---:|---:|---:|---:|",
            string.Create(CultureInfo.InvariantCulture, $"| {n} | {d} | {seconds:F2} | {html / 1024.0 / 1024.0:F1} MiB |"),
        };
        foreach (var l in lines)
        {
            Console.WriteLine(l);
        }

        File.AppendAllLines(Path.Combine(a.Work, "results.md"), lines.Append(""));
        return 0;
    }
}
