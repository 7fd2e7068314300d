using System.Diagnostics;
using System.Globalization;
using Seamless.Hashing;

namespace Seamless.Benchmarks;

/// <summary>
/// 3-model block merge of full-size fabricated checkpoints (fp16 → fp16): Seamless against the straightforward
/// reference path and against the machine's I/O floor, all in the same run, each in its own process.
/// </summary>
internal static class MergeBenchmark
{
    public static int Run(string[] args)
    {
        var a = new BenchmarkArgs(args);
        var arch = a.Get("arch", "sd15");
        var work = a.Work;
        var inputs = Inputs.Ensure(work, arch, 3);
        var recipe = Path.Combine(work, $"{arch}-recipe.yaml");
        var sd1Weights = "0,0.1,0.1,0,0,0,0,0,0,0,0,0,0,0.2,0,0,0,0,0,0,0,0,0,0,0,0";
        File.WriteAllText(recipe, $"""
            base: {inputs[0]}
            models:
              - path: {inputs[1]}
                weights: "{sd1Weights}"
              - path: {inputs[2]}
                weights: {"{"}default: 0.05, IN04-IN08: 0.2, M00: -0.1{"}"}
            """);

        var clock = Stopwatch.StartNew();
        foreach (var input in inputs)
        {
            FileHasher.Compute(input);
        }

        var coldHash = clock.Elapsed.TotalSeconds;
        var hasher = new FileHasher();
        inputs.ForEach(p => hasher.Hash(p));
        var warm = Inputs.Warm(inputs);
        var output = Path.Combine(work, $"{arch}-merged.safetensors");
        var outputBytes = new FileInfo(inputs[0]).Length;
        string[] FloorArgs() => ["floor", "--inputs", string.Join(',', inputs), "--out", output + ".floor", "--bytes", outputBytes.ToString(CultureInfo.InvariantCulture)];

        var floor = new List<Measurement>();
        var seamless = new List<Measurement>();
        Measurement? reference = null;
        for (var round = 0; round < 2; round++)
        {
            floor.Add(Measurement.InChild(FloorArgs()));
            seamless.Add(Measurement.InChild("seamless-merge", "--recipe", recipe, "--out", output));
            if (round == 0 && !a.Has("skip-reference"))
            {
                reference = Measurement.InChild("reference-merge", "--recipe", recipe, "--out", output + ".ref");
                File.Delete(output + ".ref");
            }
        }

        var f = floor.MinBy(m => m.Seconds)!;
        var s = seamless.MinBy(m => m.Seconds)!;
        var lines = new List<string>
        {
            $"### {arch}: 3-model block merge, fp16 → fp16 ({inputs.Count} × {outputBytes / 1e9:F2} GB), {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}",
            string.Empty,
            "| path | seconds | peak RSS (MiB) | ratio |",
            "|---|---:|---:|---:|",
            $"| I/O floor (read inputs from page cache + write & fsync output) | {f.Seconds:F2} | {f.PeakRssMiB:F0} | 1.00 |",
            $"| **Seamless merge** (best of {seamless.Count}: {string.Join(", ", seamless.Select(m => m.Seconds.ToString("F2", CultureInfo.InvariantCulture)))}) | {s.Seconds:F2} | {s.PeakRssMiB:F0} | {s.Seconds / f.Seconds:F2}× floor |",
        };
        if (reference is not null)
        {
            lines.Add($"| straightforward reference (load all, scalar fp32 casts, sum, save) | {reference.Seconds:F2} | {reference.PeakRssMiB:F0} | {reference.Seconds / s.Seconds:F1}× Seamless |");
        }

        lines.Add(string.Empty);
        lines.Add($"Cold sha256 of the three inputs (once per file, then cached): {coldHash:F1} s; page-cache warm-up read: {warm:F1} s.");
        var text = string.Join('\n', lines);
        Console.WriteLine(text);
        File.AppendAllText(Path.Combine(work, "results.md"), text + "\n\n");
        File.Delete(output);
        return 0;
    }
}
