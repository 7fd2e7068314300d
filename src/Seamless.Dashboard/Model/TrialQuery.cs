using Seamless.Dashboard.Live;
using Seamless.Search.Studies;

namespace Seamless.Dashboard.Model;

/// <summary>
/// The trial table, sorted, filtered and paged on the server: a page carries 100 rows, however long the study, so the
/// study view never ships 10 000 rows of 52 weights.
/// </summary>
public static class TrialQuery
{
    public const int MaxPageSize = 500;

    /// <summary>Sortable columns: the trial number, state, score, interval's low end, fidelity, time and worker.</summary>
    public static readonly IReadOnlyList<string> Columns = ["n", "state", "value", "low", "fidelity", "seconds", "worker", "params"];

    /// <param name="descending">Largest first (the default for the trial number: newest first).</param>
    /// <param name="state">Only trials in this state (complete, running, queued, pruned, failed); null or empty for all.</param>
    /// <param name="text">A trial number, or text found in the worker or error (case-insensitive).</param>
    public static TrialPage Page(StudySnapshot snapshot, string sort, bool descending, string? state, string? text, int page, int size)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        size = Math.Clamp(size, 1, MaxPageSize);
        var parameters = snapshot.Study.Config.Space.Parameters.Select(p => p.Name).ToList();
        IEnumerable<Trial> rows = snapshot.Trials;
        if (!string.IsNullOrEmpty(state))
        {
            rows = rows.Where(t => string.Equals(t.State.ToString(), state, StringComparison.OrdinalIgnoreCase));
        }

        if (text?.Trim() is { Length: > 0 } needle)
        {
            rows = rows.Where(t => t.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) == needle
                || (t.Worker?.Contains(needle, StringComparison.OrdinalIgnoreCase) ?? false)
                || (t.Error?.Contains(needle, StringComparison.OrdinalIgnoreCase) ?? false));
        }

        var list = rows.ToList();
        Comparison<Trial> by = sort switch
        {
            "state" => (a, b) => string.CompareOrdinal(a.State.ToString(), b.State.ToString()),
            "value" => (a, b) => Nullable.Compare(a.Value, b.Value),
            "low" => (a, b) => Nullable.Compare(a.IntervalLow, b.IntervalLow),
            "fidelity" => (a, b) => a.Fidelity.CompareTo(b.Fidelity),
            "seconds" => (a, b) => Nullable.Compare(a.Duration, b.Duration),
            "worker" => (a, b) => string.CompareOrdinal(a.Worker, b.Worker),
            "params" => (a, b) => string.CompareOrdinal(a.Error, b.Error),
            _ => (a, b) => a.Number.CompareTo(b.Number),
        };

        // Ties by number keep the order stable across pages.
        list.Sort((a, b) => (by(a, b) is var c && c != 0 ? c : a.Number.CompareTo(b.Number)) * (descending ? -1 : 1));
        var pages = Math.Max(1, (list.Count + size - 1) / size);
        page = Math.Clamp(page, 0, pages - 1);
        var shown = list.Skip(page * size).Take(size).Select(t => Row(t, parameters)).ToList();
        return new TrialPage(snapshot.Trials.Count, list.Count, page, size, parameters, shown);
    }

    private static TrialRow Row(Trial t, List<string> parameters) =>
        new(t.Number, t.State.ToString().ToLowerInvariant(), t.Value, t.IntervalLow, t.IntervalHigh, t.Fidelity,
            t.Duration is { } d ? Math.Round(d.TotalSeconds, 1) : null, t.Worker, t.Error,
            parameters.Select(p => t.Parameters.TryGetValue(p, out var v) ? Math.Round(v, 4) : (double?)null).ToList(), t.Metrics);
}
