namespace Seamless.Search.Merges.Configuration;

/// <summary>
/// Value equality of the lists and maps a configuration document holds (records compare collections by reference), so
/// a document read back from what was written compares equal to the original.
/// </summary>
internal static class Structural
{
    public static bool Lists<T>(IReadOnlyList<T>? a, IReadOnlyList<T>? b) => a is null ? b is null : b is not null && a.SequenceEqual(b);

    public static bool Maps<T>(IReadOnlyDictionary<string, T>? a, IReadOnlyDictionary<string, T>? b) =>
        Maps(a, b, EqualityComparer<T>.Default.Equals);

    public static bool Maps<T>(IReadOnlyDictionary<string, T>? a, IReadOnlyDictionary<string, T>? b, Func<T, T, bool> same) =>
        a is null ? b is null : b is not null && a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && same(v, p.Value));
}
