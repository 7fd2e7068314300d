using System.Diagnostics;
using System.Globalization;
using Seamless.Architecture;
using Seamless.Evaluation.Fabrication;
using Seamless.Fabrication;
using Seamless.Tagging.Onnx.Fabrication;
using Seamless.Tests.Fakes;

namespace Seamless.Benchmarks;

/// <summary>
/// The whole search on 1, 2, 4 … A1111 backends (issue #16): the built <c>seamless search</c> run as a user runs it,
/// against protocol-faithful A1111 fakes on loopback whose "GPU" takes a fixed time per image and draws one batch at a
/// time (A1111's queue lock), so the figure is the wall time of everything the search does: the probes, the trials,
/// the held-out re-measure and the tags-per-prompt check at the end, the report. Speed-up = time on one backend /
/// time on N, measured in the same run; the issue asks for ≥ 0.9 × N.
/// </summary>
internal static class WholeSearchBenchmark
{
    public static int Run(string[] args)
    {
        var a = new BenchmarkArgs(args);
        var counts = a.Get("backends", "1,2,4").Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToList();
        var delay = TimeSpan.FromMilliseconds(double.Parse(a.Get("delay-ms", "100"), CultureInfo.InvariantCulture));
        var budget = int.Parse(a.Get("budget", "12"), CultureInfo.InvariantCulture);
        var heldOut = int.Parse(a.Get("held-out", "16"), CultureInfo.InvariantCulture);
        var cli = Path.GetFullPath(a.Get("cli", Path.Combine(SuiteBenchmark.RepositoryRoot(), "src", "Seamless.Cli", "bin", "Release", "net10.0", "seamless.dll")));
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"Error: {cli} not found; build it first: dotnet build -c Release src/Seamless.Cli");
            return 1;
        }

        var work = Path.Combine(a.Work, "wholesearch");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        Directory.CreateDirectory(work);
        var rows = new List<(int Backends, double Seconds, int[] Images)>();
        foreach (var n in counts)
        {
            rows.Add(RunOne(Path.Combine(work, $"n{n}"), cli, n, delay, budget, heldOut).GetAwaiter().GetResult());
        }

        var one = rows.FirstOrDefault(r => r.Backends == 1).Seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Whole search: {budget} trials, held-out {heldOut} prompts, {delay.TotalMilliseconds:F0} ms per image, A1111 fakes on loopback."));
        Console.WriteLine();
        Console.WriteLine("| backends | seconds | images per backend | speed-up | speed-up / N |");
        Console.WriteLine("|---:|---:|---|---:|---:|");
        foreach (var (backends, seconds, images) in rows)
        {
            var speedUp = one > 0 ? one / seconds : double.NaN;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {backends} | {seconds:F1} | {string.Join(" / ", images)} | {speedUp:F2}× | {speedUp / backends:F2} |"));
        }

        return 0;
    }

    private static async Task<(int, double, int[])> RunOne(string folder, string cli, int backends, TimeSpan delay, int budget, int heldOut)
    {
        Directory.CreateDirectory(folder);
        Fabricator.Fabricate(ArchitectureManifest.Sd15, FabricationScale.Tiny, 1, Path.Combine(folder, "a.safetensors"));
        Fabricator.Fabricate(ArchitectureManifest.Sd15, FabricationScale.Tiny, 2, Path.Combine(folder, "b.safetensors"));
        var world = new TinyWorld(5, BlockMap.LayoutOf(ModelArchitecture.SD1).StandardBlocks.Count);
        TinyTaggerBuilder.Write(world, Path.Combine(folder, "tagger"));
        var servers = new List<FakeA1111Server>();
        try
        {
            for (var i = 0; i < backends; i++)
            {
                var models = Path.Combine(folder, $"srv{i}");
                Directory.CreateDirectory(models);
                var server = await FakeA1111Server.StartAsync(models);
                server.ImageDelay = delay;
                servers.Add(server);
            }

            File.WriteAllText(Path.Combine(folder, "s.yaml"), $"""
                name: whole
                storage: studies.db
                base: a.safetensors
                models: [b.safetensors]
                blocks: [IN00-IN11, M00, OUT00-OUT11]
                optimizer: random
                budget: {budget}
                objective:
                  tag_accuracy:
                    backend: a1111
                    url: [{string.Join(", ", servers.Select(s => s.Url))}]
                    models_dir: [{string.Join(", ", servers.Select(s => Path.GetFileName(s.ModelsDir)))}]
                    tagger: tagger
                    prompts: 4
                    tags_per_prompt: 4
                    images_per_prompt: 2
                    width: 64
                    height: 64
                    cache: none
                    held_out: {heldOut}
                """);
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true };
            start.ArgumentList.Add(cli);
            start.ArgumentList.Add("search");
            start.ArgumentList.Add("s.yaml");
            var clock = Stopwatch.StartNew();
            var started = DateTime.UtcNow;
            var log = new List<string>();
            using var process = new Process { StartInfo = start };
            void Line(string? text)
            {
                if (text is not null)
                {
                    lock (log)
                    {
                        log.Add(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,6:F1} s] {text}"));
                    }
                }
            }

            process.OutputDataReceived += (_, e) => Line(e.Data);
            process.ErrorDataReceived += (_, e) => Line(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await process.WaitForExitAsync();
            clock.Stop();
            File.WriteAllLines(Path.Combine(folder, "search.log"), log);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"seamless search on {backends} backends failed ({process.ExitCode}); see {Path.Combine(folder, "search.log")}");
            }

            // Each backend's txt2img requests (arrived, answered) in seconds from the search's start: where a backend idled.
            var timeline = new List<string> { "backend,arrived_s,answered_s,prompt" };
            foreach (var (server, i) in servers.Select((s, i) => (s, i)))
            {
                lock (server.Txt2ImgBodies)
                {
                    timeline.AddRange(server.Txt2ImgSpans.Select(x => string.Create(CultureInfo.InvariantCulture,
                        $"{i},{(x.Received - started).TotalSeconds:F3},{(x.Answered - started).TotalSeconds:F3},\"{x.Prompt.Replace("\"", "'", StringComparison.Ordinal)}\"")));
                }
            }

            File.WriteAllLines(Path.Combine(folder, "timeline.csv"), timeline);
            var images = servers.Select(s => s.Txt2ImgBodies.Sum(b => b.GetProperty("batch_size").GetInt32() * b.GetProperty("n_iter").GetInt32())).ToArray();
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {backends} backend(s): {clock.Elapsed.TotalSeconds:F1} s, images {string.Join(" / ", images)}"));
            return (backends, clock.Elapsed.TotalSeconds, images);
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }
}
