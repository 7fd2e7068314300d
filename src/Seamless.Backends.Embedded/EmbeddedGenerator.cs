using System.Globalization;
using Seamless.Engine.Compute;
using Seamless.Engine.Text;
using Seamless.Engine.Torch.Weights;
using Seamless.Engine.Torch.Pipeline;
using Seamless.Engine.Torch.Runtime;
using Seamless.Engine.Torch.Vae;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Generation;
using Seamless.Evaluation.Images;
using Seamless.Merging;
using TorchSharp;
using static TorchSharp.torch;

namespace Seamless.Backends.Embedded;

/// <summary>
/// The in-process backend: SD1.x and SDXL text to image with the TorchSharp engine, on the CPU or a CUDA device. A candidate given as a recipe is
/// merged into the resident weights in memory (<see cref="ResidentModel"/>), a candidate file is loaded. Noise is
/// drawn as A1111 draws it with its CPU generator (<c>torch.manual_seed(seed); randn</c>), one image per seed.
/// One candidate is active at a time: a second <see cref="OpenAsync"/> waits until the first session is disposed.
/// </summary>
public sealed class EmbeddedGenerator : IImageGenerator
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ResidentModel _model;
    private readonly PromptConditioner _conditioner;

    public EmbeddedGenerator(EmbeddedOptions options, MergeExecutorOptions? mergeOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ClipSkip is < 1 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ClipSkip, "clip skip is 1 (last layer) … 12");
        }

        if (options.Threads is { } threads)
        {
            torch.set_num_threads(threads);
        }

        // Where NNPACK cannot start, libtorch would log a warning before every convolution.
        Nnpack.Disable();

        // The device is checked before anything loads: a CPU build asked for CUDA says so at once.
        Device = DeviceSpec.Parse(options.Device);
        _ = TorchDevice.Resolve(Device);
        Options = options;
        _conditioner = new PromptConditioner(new ClipTokenizer(VocabularyLocator.Load(options.Vocabulary)), options.ClipSkip);
        _model = new ResidentModel(mergeOptions, Device);
    }

    public EmbeddedOptions Options { get; }

    private int _waiting;

    /// <summary>Candidates waiting for the active session to end (one candidate at a time holds the engine).</summary>
    public int WaitingToOpen => Volatile.Read(ref _waiting);

    public DeviceSpec Device { get; }

    public string Name => string.Create(CultureInfo.InvariantCulture, $"embedded@{Device}/clip{Options.ClipSkip}");

    public bool MergesInMemory => true;

    /// <summary>Tensors recomputed by the last in-memory merge, and how many the engine holds (for logs and tests).</summary>
    public (int Recomputed, int Total) LastApply => _model.LastApply;

    public async Task<IGenerationSession> OpenAsync(CandidateModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        Interlocked.Increment(ref _waiting);
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        try
        {
            await Task.Run(
                () =>
                {
                    if (model.Recipe is { } recipe)
                    {
                        _model.Apply(recipe, cancellationToken);
                    }
                    else
                    {
                        _model.Load(model.RequireFile("the embedded backend"));
                    }

                    if (model.Vae is { } vae && !vae.Equals("None", StringComparison.OrdinalIgnoreCase))
                    {
                        _model.UseVae(vae);
                    }
                },
                cancellationToken).ConfigureAwait(false);
            return new Session(this);
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        _model.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Draws one image per seed of the request (seeds Seed … Seed+Count−1) with the active weights.</summary>
    internal IReadOnlyList<GeneratedImage> Draw(GenerationRequest request, CancellationToken cancellationToken)
    {
        if (request.Width % 64 != 0 || request.Height % 64 != 0 || request.Width <= 0 || request.Height <= 0)
        {
            throw new EvaluationException("embedded", EvaluationError.ProtocolInvalid, string.Create(CultureInfo.InvariantCulture, $"{request.Width}×{request.Height}: the embedded engine draws sizes that are multiples of 64"));
        }

        var choice = SamplerChoice.Parse(request.Sampler, request.Scheduler);
        var pipeline = _model.Pipeline ?? throw new InvalidOperationException("no candidate is active");
        var sigmas = choice.Sigmas(pipeline.Schedule, request.Steps);
        using var scope = NewDisposeScope();
        var (cond, uncond) = _conditioner.Encode(pipeline, request.Prompt, request.Negative, request.Width, request.Height);
        var images = new List<GeneratedImage>(request.Count);
        for (var i = 0; i < request.Count; i++)
        {
            using var imageScope = NewDisposeScope();
            var seed = request.Seed + i;
            using var generator = new Generator(unchecked((ulong)seed));
            long[] shape = [1, 4, request.Height / 8, request.Width / 8];
            var noise = randn(shape, generator: generator);
            var latent = pipeline.Sample(noise, cond.Context, uncond.Context, choice.Sampler, sigmas, request.Cfg,
                ancestralNoise: _ => randn(shape, generator: generator),
                step: (_, _, _) => cancellationToken.ThrowIfCancellationRequested(),
                condVector: cond.Vector,
                uncondVector: uncond.Vector);
            var rgb = VaeDecoder.ToRgbBytes(pipeline.Vae.Decode(latent, pipeline.VaeScale));
            images.Add(GeneratedImage.FromPixels(seed, ToRgba(rgb, request.Width, request.Height)));
        }

        return images;
    }

    private static RgbaImage ToRgba(byte[] rgb, int width, int height)
    {
        var rgba = new byte[width * height * 4];
        for (int p = 0, q = 0; p < rgb.Length; p += 3, q += 4)
        {
            rgba[q] = rgb[p];
            rgba[q + 1] = rgb[p + 1];
            rgba[q + 2] = rgb[p + 2];
            rgba[q + 3] = 255;
        }

        return new RgbaImage(width, height, rgba);
    }

    private sealed class Session(EmbeddedGenerator owner) : IGenerationSession
    {
        private int _disposed;

        public Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken) =>
            Task.Run(() => owner.Draw(request, cancellationToken), cancellationToken);

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner._gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
