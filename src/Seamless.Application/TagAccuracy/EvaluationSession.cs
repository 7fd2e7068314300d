using Seamless.Backends.Web;
using Seamless.Backends.Web.A1111;
using Seamless.Backends.Web.ComfyUi;
using Seamless.Evaluation;
using Seamless.Evaluation.Diversity;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Fabrication;
using Seamless.Evaluation.Generation;
using Seamless.Evaluation.Images;
using Seamless.Evaluation.Prompts;
using Seamless.Evaluation.Scoring;
using Seamless.Evaluation.Tagging;
using Seamless.Evaluation.Tags;
using Seamless.Hashing;
using Seamless.Imaging;
using Seamless.Tagging.Onnx;

namespace Seamless.Application.TagAccuracy;

/// <summary>
/// An opened tag-accuracy evaluation: the tagger, encoder and backend it owns (disposed with it), and the catalog, pool
/// and protocol its <see cref="Evaluator"/> scores with, all wired from one <see cref="TagAccuracyOptions"/>.
/// </summary>
public sealed class EvaluationSession : IAsyncDisposable
{
    private readonly bool _ownsModels;

    private EvaluationSession(TagAccuracyOptions settings, OnnxTagger tagger, OnnxImageEmbedder? embedder, IImageGenerator generator, TagCatalog catalog, TagPool pool, PromptProtocol protocol, TagAccuracyEvaluator evaluator, bool ownsModels)
    {
        _ownsModels = ownsModels;
        Settings = settings;
        Tagger = tagger;
        Embedder = embedder;
        Generator = generator;
        Catalog = catalog;
        Pool = pool;
        Protocol = protocol;
        Evaluator = evaluator;
    }

    public TagAccuracyOptions Settings { get; }

    public OnnxTagger Tagger { get; }

    /// <summary>The image encoder for diversity, when an encoder was given.</summary>
    public OnnxImageEmbedder? Embedder { get; }

    public IImageGenerator Generator { get; }

    public TagCatalog Catalog { get; }

    public TagPool Pool { get; }

    public PromptProtocol Protocol { get; }

    public TagAccuracyEvaluator Evaluator { get; }

    public static readonly SkiaImageCodec Codec = new();

    /// <summary>Opens the tagger and backend. <paramref name="referenceModels"/> calibrate the toy backend.</summary>
    /// <param name="shelf">Where the tagger and encoder come from when several sessions share them (they stay the shelf's);
    /// null: this session opens and owns its own.</param>
    public static EvaluationSession Open(TagAccuracyOptions s, Architecture.ModelArchitecture architecture, IReadOnlyList<string> referenceModels, Func<CandidateModel, Prompt, GeneratedImage, CancellationToken, ValueTask>? imageSink = null,
        Func<CandidateModel, Prompt, IReadOnlyList<RgbaImage>, PromptOutcome, CancellationToken, ValueTask>? sampleSink = null, TaggerShelf? shelf = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        var owns = shelf is null;
        var tagger = shelf?.Tagger(s) ?? OpenTagger(s);
        OnnxImageEmbedder? embedder = null;
        try
        {
            embedder = s.Encoder is null ? null : shelf?.Embedder(s) ?? OpenEmbedder(s);
            var protocol = s.PromptProtocolFor(architecture);
            TagCatalog catalog;
            TagPool pool;
            if (s.Rimo)
            {
                var (tags, rimoCatalog) = ProtocolData.ReadRimo(ProtocolData.Folder(Evaluation.Protocols.RimoBenchmark.Name)!);
                (catalog, pool) = (rimoCatalog, TagPool.Exactly(tags));
            }
            else
            {
                catalog = s.Catalog is null ? TagCatalog.Default() : TagCatalog.Load(s.Catalog);
                pool = s.Pool is null ? TagPool.FromLabels(tagger.Labels, protocol) : TagPool.FromList(File.ReadAllLines(s.Pool), tagger.Labels, protocol, s.Pool);
            }

            var generator = CreateGenerator(s, referenceModels);
            var cache = s.Cache == "none" ? null : new ImageCache(s.Cache ?? DefaultCache(), Codec);
            var evaluator = new TagAccuracyEvaluator(tagger, Codec, catalog, protocol, cache) { ImageSink = imageSink, SampleSink = sampleSink, Embedder = embedder };
            return new EvaluationSession(s, tagger, embedder, generator, catalog, pool, protocol, evaluator, owns);
        }
        catch
        {
            if (owns)
            {
                embedder?.Dispose();
                tagger.Dispose();
            }

            throw;
        }
    }

    /// <summary>The tagger <paramref name="s"/> names, with the protocol's and the options' thresholds applied.</summary>
    internal static OnnxTagger OpenTagger(TagAccuracyOptions s)
    {
        var spec = TaggerSpecLoader.Load(s.Tagger!);
        if (s.Rimo)
        {
            // The benchmark's tagger call: ML-Danbooru at 512 with the aspect ratio kept (the protocol draws 512×512,
            // where that is a plain bilinear resize), a tag counting at ≥ 0.5.
            if (spec.Family != "ml-danbooru")
            {
                throw new EvaluationException(s.Tagger, EvaluationError.TaggerInvalid,
                    $"--protocol rimo scores with ML-Danbooru ({Evaluation.Protocols.RimoBenchmark.TaggerModel}); this is a {spec.Family} tagger. Fetch it with 'seamless tagger fetch {Evaluation.Protocols.RimoBenchmark.TaggerRepository} --files {Evaluation.Protocols.RimoBenchmark.TaggerModel},classes.json'");
            }

            spec = spec with { Size = Evaluation.Protocols.RimoBenchmark.TaggerSize, PadToSquare = false, Resize = Evaluation.Images.ResizeFilter.Bilinear, GeneralThreshold = Evaluation.Protocols.RimoBenchmark.Threshold, CharacterThreshold = Evaluation.Protocols.RimoBenchmark.Threshold };
        }

        if (s.Threshold is { } t)
        {
            spec = spec with { GeneralThreshold = t };
        }

        return OnnxTagger.Open(spec, new OnnxTaggerOptions(UseCuda: s.TaggerCuda));
    }

    internal static OnnxImageEmbedder OpenEmbedder(TagAccuracyOptions s) =>
        OnnxImageEmbedder.Open(EncoderSpecLoader.Load(s.Encoder!), new OnnxTaggerOptions(UseCuda: s.TaggerCuda));

    private static IImageGenerator CreateGenerator(TagAccuracyOptions s, IReadOnlyList<string> referenceModels)
    {
        switch (s.Backend)
        {
            case "toy":
                var world = TinyWorld.TryLoad(s.Tagger!)
                    ?? throw new EvaluationException(s.Tagger, EvaluationError.TaggerInvalid, $"--backend toy needs the tiny tagger the quickstart writes (with {TinyWorld.FileName}); real taggers need a real backend");
                return new ToyGenerator(world, referenceModels);
            case "embedded":
                return EnginePlugin.Create(s.Vocab, s.ClipSkip, s.Threads, s.Device);
            case "comfyui":
                return new ComfyUiGenerator(WebOptions(s, "http://127.0.0.1:8188"), Codec);
            default:
                return new A1111Generator(WebOptions(s, "http://127.0.0.1:7860"), Codec);
        }
    }

    private static WebBackendOptions WebOptions(TagAccuracyOptions s, string defaultUrl) =>
        new(new Uri(s.Url ?? defaultUrl), s.ModelsDir!)
        {
            Auth = s.ApiAuth,
            AttemptTimeout = TimeSpan.FromSeconds(s.Timeout),
            Retries = s.Retries,
        };

    private static string DefaultCache() =>
        Path.Combine(FileHasher.DefaultCacheFolder() ?? Path.Combine(Path.GetTempPath(), "seamless-cache"), "images");

    public async ValueTask DisposeAsync()
    {
        await Generator.DisposeAsync().ConfigureAwait(false);
        if (_ownsModels)
        {
            Embedder?.Dispose();
            Tagger.Dispose();
        }
    }
}
