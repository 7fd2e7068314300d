using System.Reflection;
using System.Text.Json;
using Seamless.Evaluation.Errors;

namespace Seamless.Evaluation.Tags;

/// <summary>
/// Tag categories for per-category accuracy: category path → tags, where a path <c>top/sub</c> counts under
/// <c>top</c> and <c>top/sub</c>. A tag may sit in several categories (categories describe, they do not partition);
/// a tag in none counts under <see cref="Other"/>. The default catalog is embedded; users give JSON of the
/// same shape (<c>{"categories": {"path": ["tag", …]}}</c>, or the bare map).
/// </summary>
public sealed class TagCatalog
{
    public const string Other = "other";

    private readonly Dictionary<string, string[]> _pathsByTag;

    private TagCatalog(string name, IReadOnlyList<string> categories, Dictionary<string, string[]> pathsByTag)
    {
        Name = name;
        Categories = categories;
        _pathsByTag = pathsByTag;
    }

    public string Name { get; }

    /// <summary>Every reportable category in file order: each top level, then its sub-paths, then <see cref="Other"/>.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>The categories a canonical tag counts under (top levels and sub-paths), or [<see cref="Other"/>].</summary>
    public IReadOnlyList<string> CategoriesOf(string canonicalTag) =>
        _pathsByTag.TryGetValue(canonicalTag, out var paths) ? paths : [Other];

    public static TagCatalog Default() => Parse("(embedded catalog)", DefaultJson());

    /// <summary>The embedded default catalog's JSON text.</summary>
    internal static string DefaultJson()
    {
        using var stream = typeof(TagCatalog).Assembly.GetManifestResourceStream("Seamless.Evaluation.Tags.Data.catalog.json")
            ?? throw new InvalidOperationException("the default tag catalog is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static TagCatalog Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new EvaluationException(path, EvaluationError.CatalogInvalid, "catalog file not found");
        }

        return Parse(path, File.ReadAllText(path));
    }

    public static TagCatalog Parse(string path, string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new EvaluationException(path, EvaluationError.CatalogInvalid, $"not valid JSON: {ex.Message}", ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new EvaluationException(path, EvaluationError.CatalogInvalid, "expected a JSON object mapping category → list of tags");
            }

            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : Path.GetFileNameWithoutExtension(path);
            var bare = !root.TryGetProperty("categories", out var c);
            var map = bare ? root : c;
            if (map.ValueKind != JsonValueKind.Object)
            {
                throw new EvaluationException(path, EvaluationError.CatalogInvalid, "'categories' must be an object mapping category → list of tags");
            }

            var categories = new List<string>();
            var byTag = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var prop in map.EnumerateObject())
            {
                if (prop.Value.ValueKind != JsonValueKind.Array)
                {
                    if (bare && prop.Name is "name" or "note")
                    {
                        continue;
                    }

                    throw new EvaluationException(path, EvaluationError.CatalogInvalid, $"category '{prop.Name}' must be a list of tags");
                }

                var catPath = prop.Name.Trim().ToLowerInvariant();
                if (catPath.Length == 0 || catPath == Other)
                {
                    throw new EvaluationException(path, EvaluationError.CatalogInvalid, $"category name '{prop.Name}' is empty or reserved");
                }

                var top = catPath.Split('/')[0];
                var paths = top == catPath ? new[] { catPath } : new[] { top, catPath };
                foreach (var p in paths)
                {
                    if (!categories.Contains(p))
                    {
                        categories.Add(p);
                    }
                }

                foreach (var t in prop.Value.EnumerateArray())
                {
                    if (t.ValueKind != JsonValueKind.String)
                    {
                        throw new EvaluationException(path, EvaluationError.CatalogInvalid, $"category '{prop.Name}' holds a non-string entry");
                    }

                    var tag = TagText.Canonical(t.GetString()!);
                    if (!byTag.TryGetValue(tag, out var list))
                    {
                        byTag[tag] = list = [];
                    }

                    foreach (var p in paths)
                    {
                        if (!list.Contains(p))
                        {
                            list.Add(p);
                        }
                    }
                }
            }

            categories.Add(Other);
            return new TagCatalog(name, categories, byTag.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal));
        }
    }
}
