using System.Diagnostics;
using System.Globalization;
using Seamless.Architecture;
using Seamless.Backends.Embedded;
using Seamless.Engine.Torch.Pipeline;
using Seamless.Evaluation.Generation;
using Seamless.Fabrication;
using Seamless.Hashing;
using Seamless.Merging;
using Seamless.Safetensors;
using static TorchSharp.torch;

namespace Seamless.Benchmarks;

/// <summary>
/// The embedded engine on this machine's CPUs: images per minute of the tiny pipeline (64², 20 steps, Euler a, CFG),
/// seconds per UNet step of a full-size SD1.5 UNet at a 64×64 latent (one CFG step: batch 2), and the time to put a
/// new merge of three full-size SD1.5 checkpoints into the engine in memory versus writing the merge to a file,
/// hashing it (as a search does for cache keys) and loading it. Peak RSS per figure (each is its own process).
/// </summary>
internal static class EngineBenchmark
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        var a = new BenchmarkArgs(args);
        var work = a.Work;
        Directory.CreateDirectory(work);
        var images = a.Get("images", "8");
        var repeats = a.Get("repeats", "3");

        var tiny = Enumerable.Range(1, 3).Select(seed =>
        {
            var path = Path.Combine(work, $"sd15-tiny-{seed}.safetensors");
            if (!File.Exists(path))
            {
                Fabricator.Fabricate(ArchitectureManifest.Sd15, FabricationScale.Tiny, (ulong)seed, path);
            }

            return path;
        }).ToList();

        Console.WriteLine($"| measurement | threads | result | peak RSS |");
        Console.WriteLine($"|---|---:|---:|---:|");
        foreach (var threads in new[] { "1", Environment.ProcessorCount.ToString(Inv) })
        {
            var m = Measurement.InChild("tiny", "--model", tiny[0], "--images", images, "--threads", threads);
            var perImage = m.Seconds / int.Parse(images, Inv);
            Console.WriteLine(string.Create(Inv, $"| tiny SD1 pipeline, 64², 20 steps Euler a, CFG 7 | {threads} | {60 / perImage:F1} images/min ({perImage / 20 * 1000:F1} ms/step) | {m.PeakRssMiB:F0} MiB |"));
        }

        var memory = Measurement.InChild("apply-memory", "--models", string.Join(',', tiny), "--repeats", repeats);
        var file = Measurement.InChild("apply-file", "--models", string.Join(',', tiny), "--repeats", repeats, "--out", Path.Combine(work, "engine-candidate.safetensors"));
        Console.WriteLine(string.Create(Inv, $"| tiny: new merge of 3 models in memory ({memory.Detail}) | {Environment.ProcessorCount} | {memory.Seconds * 1000:F1} ms | {memory.PeakRssMiB:F0} MiB |"));
        Console.WriteLine(string.Create(Inv, $"| tiny: merge to file + hash + load | {Environment.ProcessorCount} | {file.Seconds * 1000:F1} ms (in memory {file.Seconds / memory.Seconds:F1}× faster) | {file.PeakRssMiB:F0} MiB |"));

        if (a.Has("skip-full"))
        {
            return 0;
        }

        var full = Inputs.Ensure(work, "sd15", 3);
        Inputs.Warm(full);
        var step = Measurement.InChild("unet-step", "--model", full[0], "--repeats", repeats);
        Console.WriteLine(string.Create(Inv, $"| full SD1.5 UNet, one CFG step (batch 2) at 64×64 latent | {Environment.ProcessorCount} | {step.Seconds:F2} s/step | {step.PeakRssMiB:F0} MiB |"));
        memory = Measurement.InChild("apply-memory", "--models", string.Join(',', full), "--repeats", repeats);
        file = Measurement.InChild("apply-file", "--models", string.Join(',', full), "--repeats", repeats, "--out", Path.Combine(work, "engine-candidate.safetensors"));
        Console.WriteLine(string.Create(Inv, $"| full SD1.5: new merge of 3 models in memory ({memory.Detail}) | {Environment.ProcessorCount} | {memory.Seconds:F2} s | {memory.PeakRssMiB:F0} MiB |"));
        Console.WriteLine(string.Create(Inv, $"| full SD1.5: merge to file + hash + load | {Environment.ProcessorCount} | {file.Seconds:F2} s (in memory {file.Seconds / memory.Seconds:F1}× faster) | {file.PeakRssMiB:F0} MiB |"));
        return 0;
    }

    public static int Child(string[] args)
    {
        var a = new BenchmarkArgs(args);
        var repeats = int.Parse(a.Get("repeats", "3"), Inv);
        var measurement = args[0] switch
        {
            "tiny" => Tiny(a.Get("model", ""), int.Parse(a.Get("images", "8"), Inv), int.Parse(a.Get("threads", "1"), Inv)),
            "unet-step" => UnetStep(a.Get("model", ""), repeats),
            "apply-memory" => ApplyInMemory(a.Get("models", "").Split(','), repeats),
            "apply-file" => ApplyThroughFile(a.Get("models", "").Split(','), repeats, a.Get("out", "")),
            _ => throw new ArgumentException($"unknown child task {args[0]}"),
        };
        Measurement.Print(measurement);
        return 0;
    }

    /// <summary>Seconds for <paramref name="images"/> images after one warm-up image.</summary>
    private static Measurement Tiny(string model, int images, int threads)
    {
        var generator = new EmbeddedGenerator(new EmbeddedOptions(EmbeddedOptions.ByteLevelVocabulary, Threads: threads));
        var session = generator.OpenAsync(new CandidateModel(model, "", "tiny"), CancellationToken.None).GetAwaiter().GetResult();
        GenerationRequest Request(long seed, int count) => new("1girl, red hair, smile, outdoors", "lowres, bad anatomy", seed, count, 1, 64, 64, 20, "Euler a", "Automatic", 7);
        session.GenerateAsync(Request(0, 1), CancellationToken.None).GetAwaiter().GetResult();
        return Measurement.Time(() => session.GenerateAsync(Request(1, images), CancellationToken.None).GetAwaiter().GetResult());
    }

    /// <summary>Mean seconds of one UNet forward of batch 2 (a CFG step) at a 64×64 latent, after a warm-up.</summary>
    private static Measurement UnetStep(string model, int repeats)
    {
        using var file = SafetensorsFile.Open(model);
        using var pipeline = Sd1Pipeline.Load(file);
        using var scope = NewDisposeScope();
        var x = randn(2, 4, 64, 64);
        var t = full(2, 500f);
        var context = randn(2, 77, 768);
        pipeline.UNet.Forward(x, t, context).Dispose();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
        {
            pipeline.UNet.Forward(x, t, context).Dispose();
        }

        return new Measurement(clock.Elapsed.TotalSeconds / repeats, Measurement.PeakRss());
    }

    /// <summary>Recipes that change every block's weights each time (as successive trials of a search do).</summary>
    private static MergeRecipe Recipe(IReadOnlyList<string> models, int k)
    {
        var layout = BlockMap.LayoutOf(ModelArchitecture.SD1);
        var rng = new SplitMix64((ulong)k + 1);
        RecipeModel Model(string path) => new(path, WeightSpec.FromNamed(layout.Blocks.Select(b => new KeyValuePair<string, double>(b, 0.3 * rng.NextDouble())).ToList()));
        return new MergeRecipe(models[0], "weighted_sum", [Model(models[1]), Model(models[2])]);
    }

    /// <summary>Mean seconds to apply a new recipe to the resident engine (after a first, untimed one that loads it).</summary>
    private static Measurement ApplyInMemory(IReadOnlyList<string> models, int repeats)
    {
        var generator = new EmbeddedGenerator(new EmbeddedOptions(EmbeddedOptions.ByteLevelVocabulary));
        var hasher = new FileHasher(Path.Combine(Path.GetTempPath(), "seamless-bench-hashes"));
        void Apply(int k) => generator.OpenAsync(CandidateModel.FromRecipe(Recipe(models, k), hasher, $"r{k}"), CancellationToken.None).GetAwaiter().GetResult().DisposeAsync().AsTask().GetAwaiter().GetResult();
        Apply(0);
        var clock = Stopwatch.StartNew();
        for (var k = 1; k <= repeats; k++)
        {
            Apply(k);
        }

        var (recomputed, total) = generator.LastApply;
        return new Measurement(clock.Elapsed.TotalSeconds / repeats, Measurement.PeakRss(), string.Create(Inv, $"{recomputed}/{total} tensors recomputed"));
    }

    /// <summary>Mean seconds to merge a new recipe to a file, hash it and load it into the engine (after a first, untimed load).</summary>
    private static Measurement ApplyThroughFile(IReadOnlyList<string> models, int repeats, string output)
    {
        var generator = new EmbeddedGenerator(new EmbeddedOptions(EmbeddedOptions.ByteLevelVocabulary));
        var merger = new CheckpointMerger();
        void Apply(int k)
        {
            merger.Merge(Recipe(models, k), output);
            var sha = FileHasher.Compute(output).Sha256;
            generator.OpenAsync(new CandidateModel(output, sha, $"r{k}"), CancellationToken.None).GetAwaiter().GetResult().DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        Apply(0);
        var clock = Stopwatch.StartNew();
        for (var k = 1; k <= repeats; k++)
        {
            Apply(k);
        }

        var seconds = clock.Elapsed.TotalSeconds / repeats;
        File.Delete(output);
        return new Measurement(seconds, Measurement.PeakRss());
    }
}
