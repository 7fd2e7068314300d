using System.Reflection;

namespace Seamless.Architecture;

/// <summary>Reads the JSON facts embedded in this assembly (block rules, architecture manifests).</summary>
internal static class EmbeddedData
{
    public static Stream Open(string fileName)
    {
        var name = "Seamless.Architecture.Data." + fileName;
        return Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from the build");
    }
}
