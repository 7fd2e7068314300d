using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Seamless.Dashboard.Live;

namespace Seamless.Dashboard.Model;

/// <summary>
/// Study views serialised once per study state, and kept fresh in the background: when the feed sees a change in a study
/// someone has opened, its view is rebuilt off the request path and only then are pages told (through
/// <see cref="ChangeBroadcast"/>), so the fetch they make finds it ready. Rebuilds of one study are spaced by at least
/// twice the last build's time (and <see cref="MinimumSpacing"/>): a 10 000-trial study whose heartbeats move every
/// second costs at most a third of a core. Until the rebuild lands, a request gets the previous view at once.
/// </summary>
public sealed class StudyViewCache : IDisposable
{
    public static readonly TimeSpan MinimumSpacing = TimeSpan.FromMilliseconds(300);

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Converters = { new FiniteDoubleConverter() },
    };

    private readonly StudyFeed _feed;
    private readonly string _storage;
    private readonly ChangeBroadcast _broadcast;
    private readonly Dictionary<string, Entry> _views = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;

    public StudyViewCache(StudyFeed feed, string storage, ChangeBroadcast broadcast)
    {
        _feed = feed;
        _storage = storage;
        _broadcast = broadcast;
        feed.Changed += OnChanged;
        _worker = Task.Run(WorkAsync);
    }

    /// <summary>The study's view as JSON (possibly one state behind while its rebuild runs), or null when there is no such study.</summary>
    public async Task<byte[]?> ViewAsync(string name, CancellationToken cancel)
    {
        if (!_feed.Snapshots.TryGetValue(name, out var snapshot))
        {
            return null;
        }

        Entry entry;
        lock (_gate)
        {
            if (!_views.TryGetValue(name, out entry!))
            {
                entry = _views[name] = new Entry();
            }

            if (entry.Json is { } json)
            {
                if (entry.Signature != snapshot.Signature)
                {
                    MarkDirty(name);
                }

                return json;
            }
        }

        // Never built: build now, once, however many ask at the same time.
        await entry.Build.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            return entry.Json ?? await Task.Run(() => Rebuild(name, entry), cancel).ConfigureAwait(false);
        }
        finally
        {
            entry.Build.Release();
        }
    }

    /// <summary>Builds these studies' views in the background (the ones a user is likely to open first).</summary>
    public void Prebuild(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        lock (_gate)
        {
            foreach (var name in names)
            {
                if (!_views.ContainsKey(name))
                {
                    _views[name] = new Entry();
                }

                MarkDirty(name);
            }
        }
    }

    private void OnChanged(IReadOnlyList<string> changed)
    {
        _broadcast.StudiesChanged();
        foreach (var name in changed)
        {
            bool viewed;
            lock (_gate)
            {
                viewed = _views.TryGetValue(name, out var e) && e.Json is not null;
                if (viewed)
                {
                    MarkDirty(name);
                }
            }

            // A study nobody has opened has no view to rebuild: pages hear of it at once.
            if (!viewed)
            {
                _broadcast.StudyChanged(name);
            }
        }
    }

    /// <summary>Callers hold <see cref="_gate"/>.</summary>
    private void MarkDirty(string name)
    {
        if (_dirty.Add(name))
        {
            _wake.Release();
        }
    }

    private async Task WorkAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            string name;
            Entry entry;
            lock (_gate)
            {
                if (_dirty.Count == 0)
                {
                    continue;
                }

                name = _dirty.First();
                _dirty.Remove(name);
                entry = _views[name];
            }

            var wait = entry.NextAllowed - DateTime.UtcNow;
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _stop.Token).ConfigureAwait(false);
                }

                await entry.Build.WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (_feed.Snapshots.TryGetValue(name, out var snapshot) && snapshot.Signature != entry.Signature)
                {
                    Rebuild(name, entry);
                    _broadcast.StudyChanged(name);
                }
            }
#pragma warning disable CA1031 // A view that fails to build (a study from another version) must not stop the others' updates; its request shows the error.
            catch (Exception)
#pragma warning restore CA1031
            {
                lock (_gate)
                {
                    entry.Json = null;
                }
            }
            finally
            {
                entry.Build.Release();
            }
        }
    }

    private byte[] Rebuild(string name, Entry entry)
    {
        var all = _feed.Snapshots;
        var snapshot = all[name];
        var clock = Stopwatch.StartNew();
        var json = JsonSerializer.SerializeToUtf8Bytes(StudyViewBuilder.View(snapshot, all, _storage, DateTimeOffset.UtcNow), Json);
        var took = clock.Elapsed;
        lock (_gate)
        {
            entry.Json = json;
            entry.Signature = snapshot.Signature;
            entry.NextAllowed = DateTime.UtcNow + TimeSpan.FromTicks(Math.Max(MinimumSpacing.Ticks, 2 * took.Ticks));
        }

        return json;
    }

    public void Dispose()
    {
        _feed.Changed -= OnChanged;
        _stop.Cancel();
        try
        {
            _worker.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // The worker ends by cancellation.
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    private sealed class Entry
    {
        public SemaphoreSlim Build { get; } = new(1, 1);

        public byte[]? Json { get; set; }

        public string? Signature { get; set; }

        public DateTime NextAllowed { get; set; }
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
