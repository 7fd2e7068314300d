using System.Globalization;
using System.Text.Json;

namespace Seamless.Reports.Model;

/// <summary>
/// The small, bounded sample of images a study keeps per trial, for the dashboard: the first image (the prompt's own
/// seed) of each of the first <see cref="PromptsPerTrial"/> search prompts, as JPEG thumbnails of at most
/// <see cref="MaxSide"/> px (about 10–20 KB each, so ≈ 60 KB per trial), with the prompt's tags and which of them the
/// tagger found. Every trial of a study draws the same prompts with the same seeds, so any two trials compare image
/// by image. Stored under the report folder in <c>trials/N/</c>: <c>pK.jpg</c> and <c>samples.json</c>.
/// </summary>
public static class TrialSamples
{
    public const int PromptsPerTrial = 4;
    public const int MaxSide = 256;
    public const string Folder = "trials";
    private const string Index = "samples.json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly Lock Gate = new();

    /// <summary>Whether a prompt's image is one the budget keeps.</summary>
    public static bool Keeps(int promptIndex, long seed, long promptSeed) => promptIndex < PromptsPerTrial && seed == promptSeed;

    public static string TrialFolder(string reportFolder, int trial) =>
        Path.Combine(reportFolder, Folder, trial.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds (or replaces, when a trial is re-run) one prompt's sample; the index is rewritten atomically.</summary>
    public static void Save(string reportFolder, int trial, TrialSample sample, byte[] jpeg)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(jpeg);
        var folder = TrialFolder(reportFolder, trial);
        lock (Gate)
        {
            Directory.CreateDirectory(folder);
            Seamless.IO.AtomicFile.WriteAllBytes(Path.Combine(folder, sample.Image), jpeg);
            var all = Load(reportFolder, trial).Where(s => s.Prompt != sample.Prompt).Append(sample).OrderBy(s => s.Prompt).ToList();
            Seamless.IO.AtomicFile.WriteAllText(Path.Combine(folder, Index), JsonSerializer.Serialize(all, Json));
        }
    }

    /// <summary>A trial's samples (empty when it kept none, or its index is unreadable).</summary>
    public static IReadOnlyList<TrialSample> Load(string reportFolder, int trial)
    {
        var path = Path.Combine(TrialFolder(reportFolder, trial), Index);
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return (JsonSerializer.Deserialize<List<TrialSample>>(File.ReadAllText(path), Json) ?? [])
                .Where(s => s.Tags is not null && s.Found is not null && s.Found.Count == s.Tags.Count && IsImageName(s.Image)).ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The only file names a sample may have (<c>p0.jpg</c>…): nothing else under the folder is ever served.</summary>
    public static bool IsImageName(string? name) =>
        name is { Length: >= 6 and <= 12 } && name[0] == 'p' && name.EndsWith(".jpg", StringComparison.Ordinal) && name[1..^4].All(char.IsAsciiDigit);

    public static string ImageName(int prompt) => string.Create(CultureInfo.InvariantCulture, $"p{prompt}.jpg");
}
