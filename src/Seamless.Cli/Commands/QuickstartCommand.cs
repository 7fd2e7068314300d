using System.Globalization;
using Seamless.Architecture;
using Seamless.Cli.Infrastructure;
using Seamless.Contact;
using Seamless.Fabrication;
using Seamless.Merging;
using Seamless.Safetensors;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary>
/// The first command on a fresh machine: fabricates three tiny SD1.5-layout checkpoints with random weights and runs
/// the checkpoint engine end to end on them (block merge, contact merge, inspect). The search and report stages join
/// this loop as they land.
/// </summary>
public sealed class QuickstartCommand(CliConsoles consoles) : Command<QuickstartSettings>
{
    public override int Execute(CommandContext context, QuickstartSettings settings, CancellationToken cancellationToken)
    {
        var o = consoles.Out;
        var dir = Path.GetFullPath(settings.Dir);
        Directory.CreateDirectory(dir);
        o.MarkupLine("[bold]Seamless quickstart[/] — the models here are [yellow]tiny and random[/] (same keys as SD1.5, ≈33 MB each): every step is real, no result is meaningful.");
        var models = new List<string>();
        foreach (var seed in new ulong[] { 1, 2, 3 })
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.Combine(dir, $"tiny-sd15-{seed}.safetensors");
            Fabricator.Fabricate(ArchitectureManifest.Sd15, FabricationScale.Tiny, seed, path);
            models.Add(path);
        }

        o.MarkupLine($"1. fabricated {models.Count} tiny checkpoints in {Markup.Escape(dir)}");
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

        using (var file = SafetensorsFile.Open(merged))
        {
            var arch = ArchitectureDetector.Detect(file);
            o.MarkupLine($"4. inspected the merge: {arch}, {file.Tensors.Count} tensors, recipe recorded in __metadata__ ({file.Metadata[MergeMetadata.RecipeKey].Length} bytes)");
        }

        o.WriteLine();
        o.MarkupLine("Next, on your own checkpoints:");
        o.MarkupLine($"  seamless inspect {Markup.Escape(merged)}");
        o.MarkupLine("  seamless merge my-recipe.yaml --out merged.safetensors");
        o.MarkupLine("  seamless contact a.safetensors b.safetensors --rank 4 --out ab.safetensors");
        return 0;
    }
}
