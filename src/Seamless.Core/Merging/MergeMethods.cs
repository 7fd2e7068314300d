using Seamless.Merging.Methods;

namespace Seamless.Merging;

/// <summary>The registry of merge methods. Adding a method = one file in Methods/ and one line here.</summary>
public static class MergeMethods
{
    private static readonly IReadOnlyDictionary<string, IMergeMethod> ByName =
        new IMergeMethod[] { new WeightedSum(), new AddDifference() }.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names => ByName.Keys.ToList();

    public static bool TryGet(string name, out IMergeMethod method) =>
        ByName.TryGetValue(name.Trim().ToLowerInvariant().Replace('-', '_'), out method!);

    public static IMergeMethod Get(string name) =>
        TryGet(name, out var m) ? m : throw new KeyNotFoundException($"unknown merge method '{name}' (known: {string.Join(", ", Names)})");
}
