using Seamless.Application.TagAccuracy;
using System.Globalization;
using Seamless.Architecture;
using Seamless.Cli.Infrastructure;
using Seamless.Contact;
using Seamless.Evaluation.Fabrication;
using Seamless.Fabrication;
using Seamless.Merging;
using Seamless.Tagging.Onnx.Fabrication;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary>
/// The first command on a fresh machine: fabricates three tiny SD1.5-layout checkpoints and a tiny ONNX tagger, then
/// runs the real loop on them (block merge, contact merge, a tag-accuracy search with a SQLite study, the best merge
/// written, the bench tables against the inputs) by invoking the same verbs a user would. Images come from the
/// embedded engine (real SD1 sampling on the tiny random models, each candidate merged in memory) when it is built
/// next to the CLI, otherwise from the toy generator (not diffusion, but driven by the merged weights).
/// </summary>
public sealed class QuickstartCommand(CliConsoles consoles) : Command<QuickstartSettings>
{
    public override int Execute(CommandContext context, QuickstartSettings settings, CancellationToken cancellationToken)
    {
        var o = consoles.Out;
        var dir = Path.GetFullPath(settings.Dir);
        Directory.CreateDirectory(dir);
        var backend = settings.Backend ?? (EnginePlugin.Folder() is null ? "toy" : "embedded");
        var drawing = backend == "embedded"
            ? "the images are drawn by the embedded SD1 engine (CPU) from these random weights, so they are noise"
            : settings.Backend is null
                ? $"the images come from a toy generator painted from the merged weights, because the embedded engine is not in {Path.Combine(AppContext.BaseDirectory, "engine")} (build with 'dotnet build src/Seamless.Cli', or set {EnginePlugin.EnvironmentVariable})"
                : "the images come from a toy generator painted from the merged weights";
        o.MarkupLine($"[bold]Seamless quickstart[/] — the models here are [yellow]tiny and random[/] (SD1.5 keys, ≈33 MB each), the tagger is a tiny ONNX model and {drawing}: every step is real, [yellow]no score is meaningful[/].");
        var models = new List<string>();
        foreach (var seed in new ulong[] { 1, 2, 3 })
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.Combine(dir, $"tiny-sd15-{seed}.safetensors");
            Fabricator.Fabricate(ArchitectureManifest.Sd15, FabricationScale.Tiny, seed, path);
            models.Add(path);
        }

        var taggerDir = Path.Combine(dir, "tiny-tagger");
        var world = new TinyWorld(seed: 7, blocks: BlockMap.LayoutOf(ModelArchitecture.SD1).StandardBlocks.Count);
        TinyTaggerBuilder.Write(world, taggerDir);
        world.Save(taggerDir);

        // A random CLIP-shaped image encoder for diversity (1 − the similarity of consecutive images of a prompt).
        var encoderDir = Path.Combine(dir, "tiny-encoder");
        TinyEncoderBuilder.Write(encoderDir, TinyEncoderWeights.Random(7), shortestEdge: 20);
        o.MarkupLine($"1. fabricated {models.Count} tiny checkpoints, a tiny WD-style tagger ({world.TagCount} tags) and a tiny image encoder (diversity) in {Markup.Escape(dir)}");

        var recipePath = Path.Combine(dir, "recipe.yaml");
        File.WriteAllText(recipePath, string.Create(CultureInfo.InvariantCulture, $"""
            # A block merge: base A plus per-block shares of B and C (supermerger string and a named map).
            base: {Path.GetFileName(models[0])}
            method: weighted_sum
            output_dtype: fp16
            models:
              - path: {Path.GetFileName(models[1])}
                weights: "0,0.1,0.1,0,0,0,0,0,0,0,0,0,0,0.2,0,0,0,0,0,0,0,0,0,0,0,0"
              - path: {Path.GetFileName(models[2])}
                weights: {"{"}default: 0.05, IN04-IN08: 0.2, M00: -0.1{"}"}
            """));
        var merged = Path.Combine(dir, "merged.safetensors");
        var result = new CheckpointMerger().Merge(RecipeLoader.Load(recipePath), merged, null, cancellationToken);
        o.MarkupLine($"2. merged with {Markup.Escape(recipePath)} → {Markup.Escape(merged)} ({result.Elapsed.TotalSeconds:F1} s)");

        var contact = Path.Combine(dir, "contact-rank4.safetensors");
        var elapsed = new ContactMerger().Merge(new ContactRequest(models[0], models[1], new LowRankOptions(4)), contact, null, cancellationToken);
        o.MarkupLine($"3. contact merge (A + rank-4 part of B − A) → {Markup.Escape(contact)} ({elapsed.TotalSeconds:F1} s)");

        var storage = Path.Combine(dir, "studies.db");
        foreach (var stale in new[] { storage, storage + "-wal", storage + "-shm" })
        {
            File.Delete(stale);
        }

        // The embedded engine draws real (tiny) diffusion, about 0.3 s an image here: fewer trials keep the run short.
        var budget = settings.Budget ?? (backend == "embedded" ? 16 : 24);
        var searchPath = Path.Combine(dir, "search.yaml");
        File.WriteAllText(searchPath, string.Create(CultureInfo.InvariantCulture, $"""
            # A tag-accuracy search: per-block weights of B and C merged into A, scored on the same prompts and seeds.
            # On real models: backend a1111 (or comfyui) with models_dir, a WD14/ML-Danbooru tagger folder, and the
            # protocol defaults (80 prompts × 8 images, 32 tags, 512², 30 steps) instead of the tiny numbers below.
            name: quickstart
            storage: studies.db
            base: {Path.GetFileName(models[0])}
            models: [{Path.GetFileName(models[1])}, {Path.GetFileName(models[2])}]
            blocks: [IN00-IN05, IN06-IN11, M00, OUT00-OUT05, OUT06-OUT11]
            bounds: [0, 1]
            constraint: sum_le_1
            probes: [zeros, models]       # the base, then each input model alone: the report's reference columns
            budget: {budget}
            seed: 1
            keep_best: 1
            objective:
              tag_accuracy:
            {Protocol(backend)}
            """));
        o.MarkupLine($"4. searching ({budget} trials, backend {backend}{(backend == "embedded" ? ", each candidate merged in memory" : "")}) with {Markup.Escape(searchPath)}:");
        Check(CliApp.Run(["search", searchPath], consoles, cancellationToken), "search");

        var best = Path.Combine(dir, "best.safetensors");
        Check(CliApp.Run(["best", "quickstart", "--storage", storage, "--out", best], consoles, cancellationToken), "best");
        o.MarkupLine($"5. wrote the recommended merge → {Markup.Escape(best)}");

        o.MarkupLine("6. tag accuracy of the inputs and the best merge, on the same prompts:");
        string[] bench =
        [
            "bench", "--models", models[0], "--models", models[1], "--models", models[2], "--models", best,
            "--backend", backend, "--tagger", taggerDir, "--encoder", encoderDir, "--prompts", backend == "toy" ? "16" : "6", "--tags-per-prompt", "8", "--images-per-prompt", backend == "toy" ? "4" : "2",
            "--width", "64", "--height", "64", "--cache", "none",
            .. (backend == "embedded" ? EmbeddedFlags : ["--tag-counts", "2,4,8,16,32"]),
            "--json", Path.Combine(dir, "bench.json"), "--md", Path.Combine(dir, "bench.md"), "--csv", Path.Combine(dir, "bench.csv"),
            "--grid", Path.Combine(dir, "samples.png"),
        ];
        Check(CliApp.Run(bench, consoles, cancellationToken), "bench");

        var reportDir = Path.Combine(dir, "quickstart-report");
        Check(CliApp.Run(["report", "quickstart", "--storage", storage, "--out", reportDir, "--grid", Path.Combine(dir, "samples.png")], consoles, cancellationToken), "report");
        o.MarkupLine($"7. report with charts, the recipe heat map and the sample grid → {Markup.Escape(Path.Combine(reportDir, "report.html"))}");

        o.WriteLine();
        o.MarkupLine($"Outputs are in {Markup.Escape(dir)} (study: studies.db, tables: bench.md / bench.json / bench.csv, report: quickstart-report/report.html).");
        // Commands to copy are written raw: a console wrapping them at its width would break them in two.
        consoles.WriteRaw($"Watch it in the browser: seamless dashboard --storage {Path.Combine(dir, "studies.db")}   (then open http://127.0.0.1:8765/)");
        o.MarkupLine("Next, on your own checkpoints with a real tagger and web UI (A1111/Forge started with --api):");
        consoles.WriteRaw("  seamless bench --models a.safetensors --models b.safetensors --backend a1111 --models-dir ~/sd/models/Stable-diffusion --tagger ~/taggers/wd-eva02-large-tagger-v3");
        consoles.WriteRaw("  seamless search my-search.yaml      # start from search.yaml above: backend a1111, your models_dir and tagger");
        return 0;
    }

    /// <summary>Tiny-model settings of the embedded engine: the byte-level vocabulary, few steps, one thread (fastest at 64²).</summary>
    private static readonly string[] EmbeddedFlags = ["--vocab", "byte-level", "--steps", "6", "--threads", "1", "--sampler", "Euler a", "--tag-counts", "2,8,32", "--count-prompts", "2"];

    /// <summary>The search file's tag_accuracy block (indented to sit under it).</summary>
    private static string Protocol(string backend)
    {
        var lines = backend == "toy"
            ? new[] { "backend: toy", "tagger: tiny-tagger", "encoder: tiny-encoder", "prompts: 8", "tags_per_prompt: 8", "images_per_prompt: 4", "batch_size: 4", "width: 64", "height: 64", "cache: none" }
            : ["backend: embedded", "tagger: tiny-tagger", "encoder: tiny-encoder", "vocab: byte-level   # tiny random models only; real checkpoints use CLIP's vocabulary", "threads: 1", "prompts: 4", "held_out: 4", "tags_per_prompt: 8", "images_per_prompt: 2", "batch_size: 2", "width: 64", "height: 64", "steps: 6", "sampler: Euler a", "cache: none"];
        return string.Join("\n", lines.Select(l => "        " + l));
    }

    private static void Check(int exitCode, string step)
    {
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"the quickstart's {step} step failed (exit code {exitCode}); the message above says why");
        }
    }
}
