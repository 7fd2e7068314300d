using Seamless.Evaluation.Protocols;
using Seamless.Evaluation.Tags;

namespace Seamless.Application.TagAccuracy;

/// <summary>
/// Where a benchmark protocol's fetched data lives (<c>$SEAMLESS_CACHE_DIR/protocols/NAME</c>, else
/// <c>~/.cache/seamless/protocols/NAME</c>) and reading it back: the rimo tag list and category catalog.
/// </summary>
public static class ProtocolData
{
    public static string? Folder(string protocol)
    {
        var cache = Environment.GetEnvironmentVariable("SEAMLESS_CACHE_DIR") is { Length: > 0 } dir
            ? dir
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? Path.Combine(home, ".cache", "seamless") : null;
        return cache is null ? null : Path.Combine(cache, "protocols", protocol);
    }

    /// <summary>The rimo benchmark's tag list and categories from <paramref name="folder"/>, each file checked.</summary>
    public static (IReadOnlyList<string> Tags, TagCatalog Catalog) ReadRimo(string folder)
    {
        var common = Path.Combine(folder, "common.py");
        var categories = Path.Combine(folder, "categories.json");
        foreach (var file in new[] { common, categories })
        {
            if (!File.Exists(file))
            {
                throw new Errors.RecipeException(file, "not found; fetch the rimo benchmark's data once with 'seamless protocol fetch rimo' (online)");
            }
        }

        return (RimoBenchmark.ReadTags(File.ReadAllText(common), common), RimoBenchmark.ReadCatalog(File.ReadAllText(categories), categories));
    }
}
