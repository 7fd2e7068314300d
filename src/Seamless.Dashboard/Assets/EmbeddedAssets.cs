using System.Reflection;

namespace Seamless.Dashboard.Assets;

/// <summary>The page, script and style compiled into this assembly: the dashboard needs no file beside it and no network.</summary>
internal static class EmbeddedAssets
{
    private static readonly Dictionary<string, (byte[] Bytes, string Type)> Files = Load();

    public static (byte[] Bytes, string Type)? Find(string name) => Files.TryGetValue(name, out var f) ? f : null;

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(EmbeddedAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var name = resource["wwwroot/".Length..];
            files[name] = (memory.ToArray(), Path.GetExtension(name) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            });
        }

        return files;
    }
}
