using Seamless.Search.Merges.Configuration;

namespace Seamless.Search.Merges;

/// <summary>
/// Reads a search configuration (YAML or JSON) and validates everything that can be checked before the first
/// trial — keys and shapes (<see cref="SearchDocumentReader"/>), then models, blocks, bounds, fixed values, probes and
/// the objective program (<see cref="MergeSearchConfigBuilder"/>) — reporting every problem in one error.
/// </summary>
public static class MergeSearchConfigLoader
{
    public static MergeSearchConfig Load(string path)
    {
        var problems = new List<string>();
        var document = SearchDocumentReader.Read(path, problems);
        return MergeSearchConfigBuilder.Build(document, path, problems);
    }
}
