using System.Globalization;
using Seamless.Architecture;
using Seamless.Application.TagAccuracy;
using Seamless.Cli.Infrastructure;
using Seamless.Evaluation;
using Seamless.Evaluation.Bench;
using Seamless.Hashing;
using Seamless.Safetensors;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary>
/// <c>seamless bench --models a b … --backend … --tagger …</c>: the original system's tables for a set of models, on
/// the same prompts and seeds: per-category accuracy with the average and Δ%, and accuracy by tag count.
/// </summary>
public sealed class BenchCommand(CliConsoles consoles) : AsyncCommand<BenchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, BenchSettings settings, CancellationToken cancellationToken)
    {
        var architecture = CommonArchitecture(settings.Models);
        const int gridColumns = 6;
        var samples = new System.Collections.Concurrent.ConcurrentDictionary<(string Model, int Prompt), (long Seed, Seamless.Evaluation.Images.RgbaImage Image)>();
        var folder = settings.ImagesOut;
        async ValueTask Sink(Seamless.Evaluation.Generation.CandidateModel model, Seamless.Evaluation.Prompts.Prompt prompt, Seamless.Evaluation.Generation.GeneratedImage image, CancellationToken ct)
        {
            // The main prompt set runs first for each model, so the first image seen per prompt index is its.
            if (settings.Grid is not null && prompt.Index < gridColumns && image.Seed == prompt.Seed)
            {
                samples.TryAdd((model.Path ?? model.Label, prompt.Index), (image.Seed, image.Decode(EvaluationSession.Codec, model.Label)));
            }

            if (folder is not null)
            {
                var dir = Path.Combine(folder, model.Label);
                Directory.CreateDirectory(dir);
                var path = Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"p{prompt.Index:000}-s{image.Seed}.png"));
                await File.WriteAllBytesAsync(path, image.Encode(EvaluationSession.Codec), ct).ConfigureAwait(false);
            }
        }

        var sink = settings.ImagesOut is null && settings.Grid is null ? null : (Func<Seamless.Evaluation.Generation.CandidateModel, Seamless.Evaluation.Prompts.Prompt, Seamless.Evaluation.Generation.GeneratedImage, CancellationToken, ValueTask>)Sink;
        var options = settings.ToOptions();
        await using var parts = EvaluationSession.Open(options, architecture, settings.Models, sink);
        var runner = new BenchRunner(parts.Generator, parts.Evaluator, parts.Pool, parts.Protocol, new FileHasher()) { VaeFor = options.VaeFor };
        IReadOnlyList<(int Tags, int Prompts)> counts = options.Rimo
            ? Evaluation.Protocols.RimoBenchmark.TagCounts
            : settings.ParsedTagCounts().Select(c => (c, settings.CountPrompts)).ToList();
        var skipped = counts.Select(c => c.Tags).Where(c => c > parts.Pool.Tags.Count).ToList();
        if (skipped.Count > 0)
        {
            consoles.WriteWarning($"tag counts {string.Join(", ", skipped)} exceed the pool of {parts.Pool.Tags.Count} tags and are skipped");
        }

        var started = DateTime.UtcNow;
        var results = await RunWithProgress(runner, settings, counts, cancellationToken).ConfigureAwait(false);
        var result = new BenchResult(parts.Generator.Name, $"{parts.Tagger.Spec.Family} ({Path.GetFileName(parts.Tagger.Spec.ModelPath)})", parts.Catalog.Name, parts.Protocol, parts.Catalog.Categories, results);
        var markdown = options.Rimo ? BenchTables.RimoMarkdown(result) : BenchTables.Markdown(result);
        consoles.WriteRaw(markdown);
        Write(settings.Json, BenchTables.Json(result));
        Write(settings.Markdown, markdown);
        Write(settings.Csv, BenchTables.Csv(result));
        if (settings.Grid is { } grid)
        {
            var columns = Enumerable.Range(0, gridColumns).Where(i => samples.Keys.Any(k => k.Prompt == i)).ToList();
            var rows = settings.Models.Select(m => (Path.GetFileNameWithoutExtension(m),
                (IReadOnlyList<Seamless.Evaluation.Images.RgbaImage>)columns.Select(c => samples.TryGetValue((m, c), out var s) ? s.Image : Seamless.Evaluation.Images.RgbaImage.Filled(8, 8, 255, 255, 255)).ToList())).ToList();
            var labels = columns.Select(c => string.Create(CultureInfo.InvariantCulture, $"prompt {c}")).ToList();
            Seamless.IO.AtomicFile.WriteAllBytes(grid, Seamless.Imaging.GridRenderer.Render(labels, rows));
        }
        consoles.Out.MarkupLine(Markup.Escape($"Benchmarked {results.Count} model(s) in {(DateTime.UtcNow - started).TotalSeconds:F1} s."));
        return 0;
    }

    private async Task<IReadOnlyList<BenchModelResult>> RunWithProgress(BenchRunner runner, BenchSettings settings, IReadOnlyList<(int Tags, int Prompts)> counts, CancellationToken ct)
    {
        if (!consoles.Interactive)
        {
            return await runner.RunAsync(settings.Models, counts, null, ct).ConfigureAwait(false);
        }

        IReadOnlyList<BenchModelResult> results = [];
        await consoles.Error.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var progress = new Progress<EvaluationProgress>(p =>
                {
                    if (!tasks.TryGetValue(p.Model, out var task))
                    {
                        tasks[p.Model] = task = ctx.AddTask(Markup.Escape(p.Model), maxValue: p.PromptsTotal);
                    }

                    task.MaxValue = p.PromptsTotal;
                    task.Value = p.PromptsDone;
                });
                results = await runner.RunAsync(settings.Models, counts, progress, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return results;
    }

    private static ModelArchitecture CommonArchitecture(IReadOnlyList<string> models)
    {
        var architectures = models.Select(m =>
        {
            using var f = SafetensorsFile.Open(m);
            return ArchitectureDetector.Detect(f);
        }).Distinct().ToList();
        return architectures.Count == 1 ? architectures[0] : ModelArchitecture.SD1;
    }

    private static void Write(string? path, string text)
    {
        if (path is not null)
        {
            Seamless.IO.AtomicFile.WriteAllText(path, text);
        }
    }
}
