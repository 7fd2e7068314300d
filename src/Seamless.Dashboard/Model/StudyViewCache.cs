using System.Text.Json;
using System.Text.Json.Serialization;
using Seamless.Dashboard.Live;

namespace Seamless.Dashboard.Model;

/// <summary>
/// Study views serialised once per study state: a page load, and every client reacting to the same change, reuse the
/// bytes until the study's <see cref="StudySnapshot.Signature"/> moves. Building one (a model fit on large studies) runs
/// at most once at a time per study.
/// </summary>
public sealed class StudyViewCache(StudyFeed feed, string storage)
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Converters = { new FiniteDoubleConverter() },
    };

    private readonly Dictionary<string, (string Signature, byte[] Json)> _views = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SemaphoreSlim> _builds = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The study's view as JSON, or null when there is no such study.</summary>
    public async Task<byte[]?> ViewAsync(string name, CancellationToken cancel)
    {
        if (!feed.Snapshots.TryGetValue(name, out var snapshot))
        {
            return null;
        }

        SemaphoreSlim build;
        lock (_gate)
        {
            if (_views.TryGetValue(name, out var cached) && cached.Signature == snapshot.Signature)
            {
                return cached.Json;
            }

            if (!_builds.TryGetValue(name, out build!))
            {
                build = _builds[name] = new SemaphoreSlim(1, 1);
            }
        }

        await build.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            var all = feed.Snapshots;
            snapshot = all.GetValueOrDefault(name) ?? snapshot;
            lock (_gate)
            {
                if (_views.TryGetValue(name, out var cached) && cached.Signature == snapshot.Signature)
                {
                    return cached.Json;
                }
            }

            var json = await Task.Run(() => JsonSerializer.SerializeToUtf8Bytes(StudyViewBuilder.View(snapshot, all, storage, DateTimeOffset.UtcNow), Json), cancel).ConfigureAwait(false);
            lock (_gate)
            {
                _views[name] = (snapshot.Signature, json);
            }

            return json;
        }
        finally
        {
            build.Release();
        }
    }

    /// <summary>JSON has no NaN or infinity: a score that is not a number is written as null.</summary>
    private sealed class FiniteDoubleConverter : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
