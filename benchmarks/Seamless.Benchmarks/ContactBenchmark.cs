using System.Diagnostics;
using System.Globalization;
using Seamless.Contact;
using Seamless.Numerics;
using Seamless.Safetensors;

namespace Seamless.Benchmarks;

/// <summary>
/// SD1.5 contact merge at rank r: the whole randomised merge (measured end to end in a child process), against
/// exact SVD of every matrix. Exact SVD of all ~700 matrices takes hours on 2 cores, so it is timed on one tensor
/// of every distinct shape and summed over the shape counts; the randomised method is timed the same way, so the
/// per-shape ratio is like for like.
/// </summary>
internal static class ContactBenchmark
{
    public static int Run(string[] args)
    {
        var a = new BenchmarkArgs(args);
        var rank = int.Parse(a.Get("rank", "4"), CultureInfo.InvariantCulture);
        var work = a.Work;
        var inputs = Inputs.Ensure(work, "sd15", 2);
        Inputs.Warm(inputs);
        var output = Path.Combine(work, "sd15-contact.safetensors");
        var skipFull = a.Has("shapes-only");
        var full = skipFull ? new Measurement(double.NaN, 0) : Measurement.InChild("contact", "--a", inputs[0], "--b", inputs[1], "--rank", rank.ToString(CultureInfo.InvariantCulture), "--out", output);
        File.Delete(output);
        var minElements = long.Parse(a.Get("min-elements", "0"), CultureInfo.InvariantCulture);
        var maxElements = long.Parse(a.Get("max-elements", long.MaxValue.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        MathNet.Numerics.Control.UseSingleThread();
        using var fa = SafetensorsFile.Open(inputs[0]);
        using var fb = SafetensorsFile.Open(inputs[1]);
        var groups = fa.Tensors.Where(t => t.DType.IsFloat() && t.Rank >= 2 && fb.TryGet(t.Name, out _))
            .GroupBy(t => (Rows: (int)t.Shape[0], Columns: (int)(t.ElementCount / t.Shape[0])))
            .Where(g => (long)g.Key.Rows * g.Key.Columns >= minElements && (long)g.Key.Rows * g.Key.Columns <= maxElements)
            .OrderBy(g => (long)g.Key.Rows * g.Key.Columns)
            .ToList();
        var limit = double.Parse(a.Get("exact-limit", "120"), CultureInfo.InvariantCulture);
        double exactTotal = 0, randomizedTotal = 0, exactCovered = 0, randomizedCovered = 0;
        var rows = new List<string>();
        foreach (var group in groups)
        {
            var t = group.First();
            var d = Difference(fa, fb, t);
            var (m, n) = group.Key;
            var rand = Time(() => LowRank.Approximate(d, m, n, new LowRankOptions(rank)));
            randomizedTotal += rand * group.Count();
            double? exact = null;
            if (rows.Count == 0 || (exactTotal < limit))
            {
                exact = Time(() => LowRank.Approximate(d, m, n, new LowRankOptions(rank, LowRankMethod.Exact)));
                exactTotal += exact.Value * group.Count();
                exactCovered += exact.Value * group.Count();
                randomizedCovered += rand * group.Count();
            }

            rows.Add($"| {m}×{n} | {group.Count()} | {rand * 1000:F1} | {(exact is null ? "—" : (exact.Value * 1000).ToString("F0", CultureInfo.InvariantCulture))} | {(exact is null ? "—" : (exact.Value / rand).ToString("F0", CultureInfo.InvariantCulture) + "×")} |");
            Console.Error.WriteLine(rows[^1]);
        }

        var lines = new List<string>
        {
            $"### sd15: contact merge at rank {rank} ({Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd})",
            string.Empty,
            $"Whole randomised contact merge, end to end (read, 2×fp32 difference, rank-{rank} approximation of every matrix, write fp16, fsync): **{full.Seconds:F1} s**, peak RSS {full.PeakRssMiB:F0} MiB.",
            string.Empty,
            $"Per distinct matrix shape (one tensor timed, single thread): randomised total over all tensors {randomizedTotal:F1} s; exact SVD measured on the shapes whose running total stayed under {limit:F0} s: {exactCovered:F1} s against {randomizedCovered:F2} s randomised on the same shapes → **{exactCovered / randomizedCovered:F0}×**.",
            string.Empty,
            "| matrix (out × in·kh·kw) | tensors | randomised ms | exact ms | exact / randomised |",
            "|---|---:|---:|---:|---:|",
        };
        lines.AddRange(rows);
        var text = string.Join('\n', lines);
        Console.WriteLine(text);
        File.AppendAllText(Path.Combine(work, "results.md"), text + "\n\n");
        return 0;
    }

    private static float[] Difference(SafetensorsFile fa, SafetensorsFile fb, TensorInfo t)
    {
        var x = new float[t.ElementCount];
        var y = new float[t.ElementCount];
        TensorConvert.ToSingle(fa.ReadAll(t), t.DType, x);
        TensorConvert.ToSingle(fb.ReadAll(fb[t.Name]), fb[t.Name].DType, y);
        System.Numerics.Tensors.TensorPrimitives.Subtract(y, x, y);
        return y;
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }
}
