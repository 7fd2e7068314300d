using System.Threading.Channels;
using Seamless.Evaluation.Diversity;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Generation;
using Seamless.Evaluation.Images;
using Seamless.Evaluation.Prompts;
using Seamless.Evaluation.Scoring;
using Seamless.Evaluation.Tagging;
using Seamless.Evaluation.Tags;

namespace Seamless.Evaluation;

/// <summary>
/// Scores one candidate: draws every prompt's images (or takes them from the cache), tags them and counts which
/// prompt tags clear their threshold. Generation and tagging overlap: the backend draws prompt k+1 while the
/// tagger works on prompt k. The model is loaded into the backend only if some image is missing from the cache.
/// </summary>
public sealed class TagAccuracyEvaluator(IImageTagger tagger, IImageCodec codec, TagCatalog catalog, PromptProtocol protocol, ImageCache? cache = null)
{
    /// <summary>Called with every image and its prompt (for <c>--images-out</c> and sample grids).</summary>
    public Func<CandidateModel, Prompt, GeneratedImage, CancellationToken, ValueTask>? ImageSink { get; init; }

    /// <summary>
    /// Called once per prompt, after tagging, with its decoded images and which prompt tags the tagger found in each
    /// (<see cref="PromptOutcome"/>): the dashboard's per-trial samples keep a few of them.
    /// </summary>
    public Func<CandidateModel, Prompt, IReadOnlyList<RgbaImage>, PromptOutcome, CancellationToken, ValueTask>? SampleSink { get; init; }

    /// <summary>An image encoder: when set, the report carries the diversity of each prompt's images (not owned).</summary>
    public IImageEmbedder? Embedder { get; init; }

    public Task<AccuracyReport> EvaluateAsync(
        IImageGenerator generator,
        CandidateModel model,
        IReadOnlyList<Prompt> prompts,
        IProgress<EvaluationProgress>? progress,
        CancellationToken cancellationToken) =>
        EvaluateAsync(generator, model, prompts, progress, null, cancellationToken);

    /// <summary>
    /// As above, with sequential early stopping: after each prompt (from a quarter of them on), when the upper end of
    /// the 95 % interval is below <paramref name="stopBelow"/> the candidate cannot beat the incumbent; generation
    /// stops and the partial report is returned with <see cref="AccuracyReport.Stopped"/> set.
    /// </summary>
    public async Task<AccuracyReport> EvaluateAsync(
        IImageGenerator generator,
        CandidateModel model,
        IReadOnlyList<Prompt> prompts,
        IProgress<EvaluationProgress>? progress,
        double? stopBelow,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompts);
        var channel = Channel.CreateBounded<(Prompt Prompt, IReadOnlyList<GeneratedImage> Images)>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var drawn = 0;
        var cached = 0;
        var producer = Task.Run(
            async () =>
            {
                IGenerationSession? session = null;
                try
                {
                    foreach (var prompt in prompts)
                    {
                        var request = RequestFor(prompt);
                        var images = new List<GeneratedImage>(request.Count);
                        var missing = false;
                        for (var i = 0; i < request.Count && cache is not null; i++)
                        {
                            if (cache.TryGet(model, generator.Name, request, request.Seed + i, out var hit))
                            {
                                images.Add(hit);
                            }
                            else
                            {
                                missing = true;
                                break;
                            }
                        }

                        if (cache is null || missing)
                        {
                            session ??= await generator.OpenAsync(model, linked.Token).ConfigureAwait(false);
                            images = [.. await session.GenerateAsync(request, linked.Token).ConfigureAwait(false)];
                            Check(generator, request, images);
                            Interlocked.Add(ref drawn, images.Count);
                            foreach (var img in images)
                            {
                                cache?.Put(model, generator.Name, request, img);
                            }
                        }
                        else
                        {
                            Interlocked.Add(ref cached, images.Count);
                        }

                        await channel.Writer.WriteAsync((prompt, images), linked.Token).ConfigureAwait(false);
                    }
                }
                finally
                {
                    if (session is not null)
                    {
                        await session.DisposeAsync().ConfigureAwait(false);
                    }

                    channel.Writer.TryComplete();
                }
            },
            linked.Token);

        var tally = new AccuracyTally(catalog);
        var diversity = new DiversityTally();
        try
        {
            await foreach (var (prompt, images) in channel.Reader.ReadAllAsync(linked.Token).ConfigureAwait(false))
            {
                var pixels = new RgbaImage[images.Count];
                for (var i = 0; i < images.Count; i++)
                {
                    pixels[i] = images[i].Decode(codec, $"{generator.Name} image (prompt {prompt.Index}, seed {images[i].Seed})");
                    if (ImageSink is not null)
                    {
                        await ImageSink(model, prompt, images[i], linked.Token).ConfigureAwait(false);
                    }
                }

                var probabilities = await tagger.TagAsync(pixels, linked.Token).ConfigureAwait(false);
                var outcome = Detect(prompt, probabilities);
                tally.Add(outcome);
                if (SampleSink is not null)
                {
                    await SampleSink(model, prompt, pixels, outcome, linked.Token).ConfigureAwait(false);
                }
                if (Embedder is not null)
                {
                    diversity.Add(await Embedder.EmbedAsync(pixels, linked.Token).ConfigureAwait(false));
                }

                var running = tally.Report() with { Diversity = diversity.Value };
                progress?.Report(new EvaluationProgress(model.Label, tally.PromptCount, prompts.Count, Volatile.Read(ref drawn), Volatile.Read(ref cached), running.Overall.Value));
                if (stopBelow is { } bar && tally.PromptCount < prompts.Count && tally.PromptCount >= Math.Max(2, (prompts.Count + 3) / 4) && running.Overall.High < bar)
                {
                    await linked.CancelAsync().ConfigureAwait(false);
                    try
                    {
                        await producer.ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // The producer was stopped on purpose.
                    }

                    return running with { Stopped = true };
                }
            }
        }
        catch
        {
            await linked.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The consumer's failure is the one to report; the producer was cancelled because of it.
            }

            throw;
        }

        await producer.ConfigureAwait(false);
        return tally.Report() with { Diversity = diversity.Value };
    }

    public GenerationRequest RequestFor(Prompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return new GenerationRequest(prompt.Text, prompt.Negative, prompt.Seed, protocol.ImagesPerPrompt, protocol.BatchSize,
            protocol.Width, protocol.Height, protocol.Steps, protocol.Sampler, protocol.Scheduler, protocol.Cfg);
    }

    /// <summary>Which of the prompt's tags each image shows, by the tagger's per-kind thresholds.</summary>
    public PromptOutcome Detect(Prompt prompt, IReadOnlyList<float[]> probabilities)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(probabilities);
        var labels = prompt.Tags.Select(t => tagger.Labels.Find(t)).ToArray();
        var detected = new bool[probabilities.Count * prompt.Tags.Count];
        for (var i = 0; i < probabilities.Count; i++)
        {
            for (var t = 0; t < labels.Length; t++)
            {
                var label = labels[t];
                if (label is null)
                {
                    continue;
                }

                var threshold = label.Kind == TagKind.Character ? tagger.Spec.CharacterThreshold : tagger.Spec.GeneralThreshold;
                detected[(i * labels.Length) + t] = probabilities[i][label.Index] >= threshold;
            }
        }

        return new PromptOutcome(prompt.Index, prompt.Tags, probabilities.Count, detected);
    }

    private static void Check(IImageGenerator generator, GenerationRequest request, List<GeneratedImage> images)
    {
        if (images.Count != request.Count)
        {
            throw new EvaluationException(null, EvaluationError.BackendMismatch, $"{generator.Name} returned {images.Count} images for {request.Count} asked");
        }

        for (var i = 0; i < images.Count; i++)
        {
            if (images[i].Seed != request.Seed + i)
            {
                throw new EvaluationException(null, EvaluationError.BackendMismatch, $"{generator.Name} drew image {i} with seed {images[i].Seed}, expected {request.Seed + i}");
            }
        }
    }
}
