using System.Text.Json;

namespace Seamless.Reports.Model;

/// <summary>
/// The final choice re-measured on held-out prompts (never used by the search), next to its search score: the
/// over-fitting check, and its accuracy by tags per prompt (<see cref="ByTagCount"/>). Stored as <c>heldout.json</c>
/// in the report folder.
/// </summary>
public sealed record HeldOutCheck(int Trial, double SearchValue, double Value, double Low, double High, long Pairs, int Prompts, IReadOnlyDictionary<int, double>? ByTagCount = null)
{
    public const string FileName = "heldout.json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public void Save(string folder)
    {
        Seamless.IO.AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json));
    }

    public static HeldOutCheck? TryLoad(string folder)
    {
        var path = Path.Combine(folder, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<HeldOutCheck>(File.ReadAllText(path), Json) : null;
    }
}
