using System.Text.Json;
using Seamless.Errors;
using Seamless.Safetensors;

namespace Seamless.Architecture;

/// <summary>
/// Every key, shape and dtype of a full checkpoint, in file order: facts of the architecture, embedded for SD1.5
/// and SDXL base (derived from the reference modules' state dicts), or read from a user's JSON of the same form
/// (<c>{"architecture": …, "tensors": {key: {"shape": […], "dtype": "F16"}}}</c>).
/// </summary>
public sealed class ArchitectureManifest
{
    private ArchitectureManifest(string name, IReadOnlyList<TensorSpec> tensors)
    {
        Name = name;
        Tensors = tensors;
    }

    public string Name { get; }

    public IReadOnlyList<TensorSpec> Tensors { get; }

    public static ArchitectureManifest Sd15 => Load("sd15");

    public static ArchitectureManifest Sdxl => Load("sdxl");

    /// <summary>"sd15", "sdxl" (embedded) or the path of a manifest JSON file.</summary>
    public static ArchitectureManifest Load(string nameOrPath)
    {
        if (nameOrPath is "sd15" or "sd1" or "sdxl")
        {
            using var stream = EmbeddedData.Open((nameOrPath == "sdxl" ? "sdxl" : "sd15") + ".json");
            return Parse(stream, nameOrPath);
        }

        if (!File.Exists(nameOrPath))
        {
            throw new RecipeException(nameOrPath, "architecture manifest not found (use sd15, sdxl or a manifest JSON path)");
        }

        using var file = File.OpenRead(nameOrPath);
        return Parse(file, nameOrPath);
    }

    private static ArchitectureManifest Parse(Stream stream, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(stream);
            var name = doc.RootElement.TryGetProperty("architecture", out var a) ? a.GetString() ?? source : source;
            var specs = new List<TensorSpec>();
            foreach (var entry in doc.RootElement.GetProperty("tensors").EnumerateObject())
            {
                var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToList();
                if (shape.Any(d => d < 0))
                {
                    throw new RecipeException(source, $"tensor '{entry.Name}' has a negative dimension");
                }

                var dtypeName = entry.Value.GetProperty("dtype").GetString() ?? string.Empty;
                if (!DTypeExtensions.TryParseHeaderName(dtypeName, out var dtype))
                {
                    throw new RecipeException(source, $"tensor '{entry.Name}' has unknown dtype '{dtypeName}'");
                }

                specs.Add(new TensorSpec(entry.Name, dtype, shape));
            }

            return new ArchitectureManifest(name, specs);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new RecipeException(source, $"not a valid architecture manifest ({e.Message})");
        }
    }
}
