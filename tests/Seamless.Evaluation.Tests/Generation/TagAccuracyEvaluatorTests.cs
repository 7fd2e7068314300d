using Seamless.Evaluation;
using Seamless.Evaluation.Diversity;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Generation;
using Seamless.Evaluation.Prompts;
using Seamless.Evaluation.Tagging;
using Seamless.Evaluation.Tags;
using Seamless.Hashing;
using Seamless.Imaging;
using Seamless.Search.Merges;
using Seamless.Tagging.Onnx;
using Seamless.Tagging.Onnx.Fabrication;

namespace Seamless.Tests.Generation;

public class TagAccuracyEvaluatorTests
{
    private sealed class CountingGenerator(IImageGenerator inner, Func<IReadOnlyList<GeneratedImage>, IReadOnlyList<GeneratedImage>>? tamper = null) : IImageGenerator
    {
        public int Opened;

        public string Name => inner.Name;

        public async Task<IGenerationSession> OpenAsync(CandidateModel model, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Opened);
            return new Session(await inner.OpenAsync(model, cancellationToken), tamper);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private sealed class Session(IGenerationSession inner, Func<IReadOnlyList<GeneratedImage>, IReadOnlyList<GeneratedImage>>? tamper) : IGenerationSession
        {
            public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
            {
                var images = await inner.GenerateAsync(request, cancellationToken);
                return tamper is null ? images : tamper(images);
            }

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }

    private sealed record Setup(TempFolder Dir, string[] Models, OnnxTagger Tagger, PromptProtocol Protocol, PromptSet Prompts, ToyGenerator Toy) : IDisposable
    {
        public void Dispose()
        {
            Tagger.Dispose();
            Dir.Dispose();
        }
    }

    private static Setup Build(int prompts = 6)
    {
        var dir = new TempFolder();
        var world = TinyModels.World();
        var models = TinyModels.Fabricate(dir, 3);
        TinyTaggerBuilder.Write(world, dir.File("tagger"));
        var tagger = OnnxTagger.Open(TaggerSpecLoader.Load(dir.File("tagger")));
        var protocol = new PromptProtocol { Prompts = prompts, TagsPerPrompt = 8, ImagesPerPrompt = 4, BatchSize = 2, Width = 64, Height = 64 };
        var set = PromptSet.Search(TagPool.FromLabels(tagger.Labels, protocol), protocol);
        return new Setup(dir, models, tagger, protocol, set, new ToyGenerator(world, models));
    }

    private static CandidateModel Candidate(string path) => new(path, FileHasher.Compute(path).Sha256, Path.GetFileNameWithoutExtension(path));

    [Fact]
    public async Task EvaluateAsync_WithEmbedder_ReportsDiversityOfEachPromptsConsecutiveImages()
    {
        using var s = Build(prompts: 3);
        using var encoderDir = new TempFolder();
        using var embedder = OnnxImageEmbedder.Open(TinyEncoderBuilder.Write(encoderDir.Path, TinyEncoderWeights.Random(5), 16));
        var codec = new SkiaImageCodec();
        var seen = new List<(int Prompt, GeneratedImage Image)>();
        var plain = new TagAccuracyEvaluator(s.Tagger, codec, TagCatalog.Default(), s.Protocol);
        var measuring = new TagAccuracyEvaluator(s.Tagger, codec, TagCatalog.Default(), s.Protocol)
        {
            Embedder = embedder,
            ImageSink = (_, prompt, image, _) =>
            {
                seen.Add((prompt.Index, image));
                return ValueTask.CompletedTask;
            },
        };

        var without = await plain.EvaluateAsync(s.Toy, Candidate(s.Models[0]), s.Prompts.Prompts, null, CancellationToken.None);
        var with = await measuring.EvaluateAsync(s.Toy, Candidate(s.Models[0]), s.Prompts.Prompts, null, CancellationToken.None);

        // The reference: embed each prompt's images here, in seed order, and pool the consecutive pairs by hand.
        var similarities = new List<double>();
        foreach (var group in seen.GroupBy(x => x.Prompt))
        {
            var images = group.OrderBy(x => x.Image.Seed).Select(x => x.Image.Decode(codec, "test")).ToList();
            var e = await embedder.EmbedAsync(images, CancellationToken.None);
            similarities.AddRange(Enumerable.Range(1, e.Count - 1).Select(i => DiversityTally.Cosine(e[i - 1], e[i])));
        }

        Assert.Null(without.Diversity);
        Assert.Equal(3 * 3, similarities.Count);
        Assert.Equal(1 - similarities.Average(), with.Diversity!.Value, 9);
        Assert.Equal(without.Overall.Value, with.Overall.Value);
    }

    [Fact]
    public async Task EvaluateAsync_ToyModels_ScoresDependOnWeights()
    {
        using var s = Build();
        var evaluator = new TagAccuracyEvaluator(s.Tagger, new SkiaImageCodec(), TagCatalog.Default(), s.Protocol);
        var scores = new List<double>();
        foreach (var m in s.Models)
        {
            var report = await evaluator.EvaluateAsync(s.Toy, Candidate(m), s.Prompts.Prompts, null, CancellationToken.None);
            Assert.Equal(6 * 4 * 8, report.Overall.Pairs);
            Assert.InRange(report.Overall.Value, 0.01, 0.99);
            Assert.True(report.Overall.Low <= report.Overall.Value && report.Overall.Value <= report.Overall.High);
            scores.Add(report.Overall.Value);
        }

        Assert.True(scores.Distinct().Count() > 1, $"all models scored {scores[0]}");
    }

    [Fact]
    public async Task EvaluateAsync_SecondRunWithCache_NoGenerationSameScore()
    {
        using var s = Build();
        var codec = new SkiaImageCodec();
        var cache = new ImageCache(s.Dir.File("cache"), codec);
        var evaluator = new TagAccuracyEvaluator(s.Tagger, codec, TagCatalog.Default(), s.Protocol, cache);
        var generator = new CountingGenerator(s.Toy);
        var progress = new List<EvaluationProgress>();
        var first = await evaluator.EvaluateAsync(generator, Candidate(s.Models[0]), s.Prompts.Prompts, null, CancellationToken.None);
        var second = await evaluator.EvaluateAsync(generator, Candidate(s.Models[0]), s.Prompts.Prompts, new SyncProgress(progress), CancellationToken.None);
        Assert.Equal(1, generator.Opened);
        Assert.Equal(first.Overall, second.Overall);
        Assert.Equal(6 * 4, progress[^1].ImagesCached);
        Assert.Equal(0, progress[^1].ImagesDrawn);
    }

    [Fact]
    public async Task EvaluateAsync_BackendReturnsWrongSeeds_BackendMismatch()
    {
        using var s = Build();
        var evaluator = new TagAccuracyEvaluator(s.Tagger, new SkiaImageCodec(), TagCatalog.Default(), s.Protocol);
        var liar = new CountingGenerator(s.Toy, images => images.Select(i => i with { Seed = i.Seed + 1 }).ToList());
        var ex = await Assert.ThrowsAsync<EvaluationException>(() => evaluator.EvaluateAsync(liar, Candidate(s.Models[0]), s.Prompts.Prompts, null, CancellationToken.None));
        Assert.Equal(EvaluationError.BackendMismatch, ex.Reason);
    }

    [Fact]
    public async Task Objective_Fidelity_UsesPromptPrefixAndReportsEffectiveCount()
    {
        using var s = Build(prompts: 8);
        var evaluator = new TagAccuracyEvaluator(s.Tagger, new SkiaImageCodec(), TagCatalog.Default(), s.Protocol);
        var objective = new TagAccuracyObjective(s.Toy, evaluator, s.Prompts, new FileHasher(s.Dir.File("hashes")));
        var half = await objective.EvaluateAsync(1, new Dictionary<string, double>(), s.Models[1], 0.5, CancellationToken.None);
        var full = await objective.EvaluateAsync(2, new Dictionary<string, double>(), s.Models[1], 1.0, CancellationToken.None);
        var direct = await evaluator.EvaluateAsync(s.Toy, Candidate(s.Models[1]), s.Prompts.Prompts.Take(4).ToList(), null, CancellationToken.None);
        Assert.Equal(direct.Overall.Value, half.Value);
        Assert.NotNull(half.Categories);
        Assert.True(half.Count < full.Count);
        Assert.True(full.Count <= 8 * 4 * 8);
    }

    [Fact]
    public async Task EvaluateAsync_CannotBeatIncumbent_StopsAfterAQuarterWithPartialScore()
    {
        using var s = Build(prompts: 12);
        var evaluator = new TagAccuracyEvaluator(s.Tagger, new SkiaImageCodec(), TagCatalog.Default(), s.Protocol);
        var generator = new CountingGenerator(s.Toy);
        var stopped = await evaluator.EvaluateAsync(generator, Candidate(s.Models[0]), s.Prompts.Prompts, null, stopBelow: 1.01, CancellationToken.None);
        Assert.True(stopped.Stopped);
        Assert.Equal(3, stopped.Prompts.Count);
        var partial = await evaluator.EvaluateAsync(s.Toy, Candidate(s.Models[0]), s.Prompts.Prompts.Take(3).ToList(), null, CancellationToken.None);
        Assert.Equal(partial.Overall, stopped.Overall);

        var full = await evaluator.EvaluateAsync(s.Toy, Candidate(s.Models[0]), s.Prompts.Prompts, null, stopBelow: 0.0, CancellationToken.None);
        Assert.False(full.Stopped);
        Assert.Equal(12, full.Prompts.Count);
    }

    [Fact]
    public async Task Objective_IncumbentOutOfReach_ResultMarkedPruned()
    {
        using var s = Build(prompts: 8);
        var evaluator = new TagAccuracyEvaluator(s.Tagger, new SkiaImageCodec(), TagCatalog.Default(), s.Protocol);
        var objective = new TagAccuracyObjective(s.Toy, evaluator, s.Prompts, new FileHasher(s.Dir.File("hashes"))) { Incumbent = () => 1.01 };
        var pruned = await objective.EvaluateAsync(1, new Dictionary<string, double>(), s.Models[1], 1.0, CancellationToken.None);
        Assert.True(pruned.Pruned);

        // Cheap evaluations are never stopped: they are the exploration.
        var cheap = await objective.EvaluateAsync(2, new Dictionary<string, double>(), s.Models[1], 0.5, CancellationToken.None);
        Assert.False(cheap.Pruned);
    }

    [Fact]
    public async Task ObjectiveEvaluateAsync_BelowTheDiversityFloor_ScalesTheScoreAndKeepsTheRawAccuracy()
    {
        using var s = Build(prompts: 3);
        using var encoderDir = new TempFolder();
        using var embedder = OnnxImageEmbedder.Open(TinyEncoderBuilder.Write(encoderDir.Path, TinyEncoderWeights.Random(5), 16));
        var evaluator = new TagAccuracyEvaluator(s.Tagger, new SkiaImageCodec(), TagCatalog.Default(), s.Protocol) { Embedder = embedder };
        var hasher = new FileHasher(s.Dir.File("hashes"));
        var free = await new TagAccuracyObjective(s.Toy, evaluator, s.Prompts, hasher).EvaluateAsync(1, new Dictionary<string, double>(), s.Models[1], 1.0, CancellationToken.None);
        var diversity = free.Metrics![TagAccuracyObjective.DiversityMetric];

        var met = await new TagAccuracyObjective(s.Toy, evaluator, s.Prompts, hasher) { MinDiversity = diversity * 0.5 }.EvaluateAsync(2, new Dictionary<string, double>(), s.Models[1], 1.0, CancellationToken.None);
        var missed = await new TagAccuracyObjective(s.Toy, evaluator, s.Prompts, hasher) { MinDiversity = diversity * 2 }.EvaluateAsync(3, new Dictionary<string, double>(), s.Models[1], 1.0, CancellationToken.None);

        Assert.InRange(diversity, 1e-6, 2);
        Assert.Equal(free.Value, met.Value);
        Assert.False(met.Metrics!.ContainsKey(TagAccuracyObjective.AccuracyMetric));
        Assert.Equal(free.Value / 2, missed.Value, 12);
        Assert.Equal(free.IntervalHigh!.Value / 2, missed.IntervalHigh!.Value, 12);
        Assert.Equal(free.Value, missed.Metrics![TagAccuracyObjective.AccuracyMetric]);
        Assert.Equal(diversity * 2, missed.Metrics[TagAccuracyObjective.MinDiversityMetric]);
    }

    private sealed class SyncProgress(List<EvaluationProgress> sink) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => sink.Add(value);
    }
}
