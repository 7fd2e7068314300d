namespace Seamless.Engine.Text;

/// <summary>
/// Where the CLIP vocabulary comes from: the configured path, <c>SEAMLESS_CLIP_VOCAB</c>, the copy
/// <c>seamless vocab fetch</c> keeps (<see cref="FetchedFolder"/>), or a copy other tools keep (the Hugging Face cache of
/// openai/clip-vit-large-patch14, a ComfyUI install's <c>comfy/sd1_tokenizer</c>). The vocabulary is user data:
/// Seamless never ships it and downloads it only when asked to.
/// </summary>
public static class VocabularyLocator
{
    public const string EnvironmentVariable = "SEAMLESS_CLIP_VOCAB";

    /// <summary>The configured value that asks for <see cref="ClipVocabulary.ByteLevel"/> (tiny fabricated models only).</summary>
    public const string ByteLevel = "byte-level";

    /// <summary>The Hugging Face repository <c>seamless vocab fetch</c> reads by default.</summary>
    public const string DefaultRepository = "openai/clip-vit-large-patch14";

    /// <summary>Where <c>seamless vocab fetch</c> writes by default: the Seamless cache folder's <c>clip/</c>.</summary>
    public static string? FetchedFolder() =>
        Hashing.FileHasher.DefaultCacheFolder() is { } cache ? Path.Combine(cache, "clip") : null;

    public static ClipVocabulary Load(string? configured)
    {
        if (string.Equals(configured, ByteLevel, StringComparison.Ordinal))
        {
            return ClipVocabulary.ByteLevel();
        }

        var path = configured ?? Environment.GetEnvironmentVariable(EnvironmentVariable) ?? Candidates().FirstOrDefault(IsVocabulary);
        if (path is null)
        {
            throw new ClipVocabularyException(
                "CLIP vocabulary",
                $"not found; run 'seamless vocab fetch' once (online), give --vocab (a folder with vocab.json + merges.txt, or bpe_simple_vocab_16e6.txt.gz) or set {EnvironmentVariable}. Looked in: {string.Join(", ", Candidates())}");
        }

        return ClipVocabulary.Load(path);
    }

    /// <summary>The places looked in, most specific first.</summary>
    public static IEnumerable<string> Candidates()
    {
        if (FetchedFolder() is { } fetched)
        {
            yield return fetched;
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var hub = Environment.GetEnvironmentVariable("HF_HUB_CACHE")
            ?? Path.Combine(Environment.GetEnvironmentVariable("HF_HOME") ?? Path.Combine(home, ".cache", "huggingface"), "hub");
        var snapshots = Path.Combine(hub, "models--openai--clip-vit-large-patch14", "snapshots");
        if (Directory.Exists(snapshots))
        {
            foreach (var snapshot in Directory.GetDirectories(snapshots).Order(StringComparer.Ordinal))
            {
                yield return snapshot;
            }
        }

        foreach (var comfy in new[] { Path.Combine(home, "ComfyUI"), "/opt/ComfyUI" })
        {
            yield return Path.Combine(comfy, "comfy", "sd1_tokenizer");
        }
    }

    private static bool IsVocabulary(string folder) =>
        (File.Exists(Path.Combine(folder, "vocab.json")) && File.Exists(Path.Combine(folder, "merges.txt")))
        || File.Exists(Path.Combine(folder, "bpe_simple_vocab_16e6.txt.gz"));
}
