using System.Globalization;
using Seamless.Tagging.Onnx;

namespace Seamless.Application.TagAccuracy;

/// <summary>
/// The taggers and image encoders of one search, opened once and shared by every backend's evaluation (an ONNX Runtime
/// session runs concurrent calls safely). A real WD14 or ML-Danbooru tagger is hundreds of megabytes: four backends
/// plus their held-out check once loaded it eight times. Owns what it opened; disposing it disposes them.
/// </summary>
public sealed class TaggerShelf : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, OnnxTagger> _taggers = [];
    private readonly Dictionary<string, OnnxImageEmbedder> _embedders = [];
    private bool _disposed;

    /// <summary>How many models (taggers and encoders) it has opened.</summary>
    public int Opened
    {
        get
        {
            lock (_gate)
            {
                return _taggers.Count + _embedders.Count;
            }
        }
    }

    /// <summary>The tagger <paramref name="options"/> names, with its thresholds: opened on first use, then the same one.</summary>
    public OnnxTagger Tagger(TagAccuracyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Get(_taggers, string.Create(CultureInfo.InvariantCulture, $"{Path.GetFullPath(options.Tagger!)}|{options.Rimo}|{options.Threshold:R}|{options.TaggerCuda}"), () => EvaluationSession.OpenTagger(options));
    }

    /// <summary>The image encoder <paramref name="options"/> names (it must name one).</summary>
    public OnnxImageEmbedder Embedder(TagAccuracyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Get(_embedders, $"{Path.GetFullPath(options.Encoder!)}|{options.TaggerCuda}", () => EvaluationSession.OpenEmbedder(options));
    }

    private T Get<T>(Dictionary<string, T> shelf, string key, Func<T> open)
        where T : class
    {
        // Opened under the lock: two backends starting together must not both load a large model.
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!shelf.TryGetValue(key, out var model))
            {
                model = open();
                shelf.Add(key, model);
            }

            return model;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var tagger in _taggers.Values)
            {
                tagger.Dispose();
            }

            foreach (var embedder in _embedders.Values)
            {
                embedder.Dispose();
            }
        }
    }
}
