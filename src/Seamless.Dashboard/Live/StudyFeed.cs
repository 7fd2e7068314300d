using System.Globalization;
using Seamless.Search.Studies;

namespace Seamless.Dashboard.Live;

/// <summary>
/// The only reader of the study store: it reads every study every <see cref="DashboardOptions.PollInterval"/>, keeps the
/// latest <see cref="StudySnapshot"/> of each, and raises <see cref="Changed"/> with the studies that changed. Polling the store, rather than hooking the writer, is what lets the dashboard watch a SQLite file another
/// process is writing and a PostgreSQL database written from other machines alike. One thread touches the store, so a
/// store that is not thread-safe needs no lock.
/// </summary>
public sealed class StudyFeed : IDisposable
{
    private readonly IStudyStore _store;
    private readonly TimeSpan _interval;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Dictionary<string, StudySnapshot> _snapshots = new(StringComparer.Ordinal);
    private Task? _loop;

    public StudyFeed(IStudyStore store, TimeSpan interval)
    {
        _store = store;
        _interval = interval;
    }

    /// <summary>The error of the last read, when it failed (a database that went away); shown by the page.</summary>
    public string? LastError { get; private set; }

    public IReadOnlyDictionary<string, StudySnapshot> Snapshots
    {
        get
        {
            lock (_gate)
            {
                return _snapshots;
            }
        }
    }

    /// <summary>Reads once (so the first page has data), then keeps reading in the background.</summary>
    public void Start()
    {
        Poll();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(_interval, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                Poll();
            }
        });
    }

    /// <summary>
    /// Raised on the feed's thread after a read that found changes: the names of the studies that changed (added ones
    /// included); empty when only the list did (a study was removed).
    /// </summary>
    public event Action<IReadOnlyList<string>>? Changed;

    internal void Poll()
    {
        Dictionary<string, StudySnapshot> next;
        try
        {
            next = new Dictionary<string, StudySnapshot>(StringComparer.Ordinal);
            var now = DateTimeOffset.UtcNow;
            foreach (var study in _store.ListStudies())
            {
                var trials = _store.Trials(study.Id);
                next[study.Config.Name] = new StudySnapshot(study, trials, Signature(trials), now);
            }

            LastError = null;
        }
#pragma warning disable CA1031 // A failed read (database restarting, file locked) must not end the dashboard: the next poll retries.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LastError = ex.Message;
            return;
        }

        List<string> changed;
        bool listChanged;
        lock (_gate)
        {
            changed = next.Where(kv => !_snapshots.TryGetValue(kv.Key, out var old) || old.Signature != kv.Value.Signature).Select(kv => kv.Key).ToList();
            listChanged = changed.Count > 0 || _snapshots.Keys.Any(k => !next.ContainsKey(k));
            _snapshots = next;
        }

        if (listChanged)
        {
            Changed?.Invoke(changed);
        }
    }

    /// <summary>Changes with any trial's number, state, value, worker or heartbeat (a live worker's heartbeat moves it).</summary>
    internal static string Signature(IReadOnlyList<Trial> trials)
    {
        var hash = new HashCode();
        foreach (var t in trials)
        {
            hash.Add(t.Number);
            hash.Add(t.State);
            hash.Add(t.Value);
            hash.Add(t.Worker);
            hash.Add(t.Heartbeat);
            hash.Add(t.Finished);
        }

        return trials.Count.ToString(CultureInfo.InvariantCulture) + "-" + hash.ToHashCode().ToString("x8", CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation.
        }

        _stop.Dispose();
    }
}
