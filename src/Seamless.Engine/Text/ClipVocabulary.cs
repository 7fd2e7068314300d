using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Seamless.Errors;

namespace Seamless.Engine.Text;

/// <summary>
/// CLIP's byte-level BPE vocabulary: 49,408 tokens (256 byte symbols, the same with <c>&lt;/w&gt;</c>, 48,894 merge
/// results, then <c>&lt;|startoftext|&gt;</c> = 49406 and <c>&lt;|endoftext|&gt;</c> = 49407) and the merge ranks. Read
/// from OpenAI's <c>bpe_simple_vocab_16e6.txt.gz</c> or Hugging Face's <c>vocab.json</c> + <c>merges.txt</c>.
/// </summary>
public sealed class ClipVocabulary
{
    public const int StartOfText = 49406;
    public const int EndOfText = 49407;
    private const int MergeCount = 49152 - 256 - 2;

    private ClipVocabulary(Dictionary<string, int> encoder, Dictionary<(string, string), int> ranks)
    {
        Encoder = encoder;
        Ranks = ranks;
    }

    public IReadOnlyDictionary<string, int> Encoder { get; }

    internal Dictionary<(string, string), int> Ranks { get; }

    /// <summary>OpenAI's gzip file: its merges define the vocabulary.</summary>
    public static ClipVocabulary FromOpenAi(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var lines = reader.ReadToEnd().Split('\n');
        if (lines.Length < MergeCount + 1)
        {
            throw new ClipVocabularyException(path, $"{lines.Length} lines; a CLIP merges file has {MergeCount + 1}");
        }

        var merges = lines.Skip(1).Take(MergeCount).Select(l => l.Split(' ')).ToList();
        var symbols = ByteUnicode.Symbols;
        var vocab = new List<string>(symbols);
        vocab.AddRange(symbols.Select(s => s + "</w>"));
        vocab.AddRange(merges.Select(m => m[0] + m[1]));
        vocab.Add("<|startoftext|>");
        vocab.Add("<|endoftext|>");
        var encoder = vocab.Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i, StringComparer.Ordinal);
        return new ClipVocabulary(encoder, BuildRanks(merges));
    }

    /// <summary>Hugging Face's pair of files.</summary>
    public static ClipVocabulary FromHuggingFace(string vocabJson, string mergesTxt)
    {
        Dictionary<string, int> encoder;
        try
        {
            encoder = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(vocabJson)) ?? [];
        }
        catch (JsonException ex)
        {
            throw new ClipVocabularyException(vocabJson, $"not a JSON token → id map: {ex.Message}");
        }

        var merges = File.ReadAllLines(mergesTxt).Where(l => l.Length > 0 && !l.StartsWith("#version", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToList();
        if (encoder.Count != 49408 || merges.Any(m => m.Length != 2))
        {
            throw new ClipVocabularyException(vocabJson, $"{encoder.Count} tokens and {merges.Count} merges; CLIP has 49408 and {MergeCount}");
        }

        return new ClipVocabulary(new Dictionary<string, int>(encoder, StringComparer.Ordinal), BuildRanks(merges));
    }

    /// <summary>
    /// A vocabulary without merges: every character is its own token (the 512 byte symbols, with and without
    /// <c>&lt;/w&gt;</c>). Only for tiny fabricated models, whose random token embeddings know no words; real checkpoints
    /// were trained on the real merges and need <see cref="Load"/>.
    /// </summary>
    public static ClipVocabulary ByteLevel()
    {
        var symbols = ByteUnicode.Symbols;
        var encoder = symbols.Concat(symbols.Select(s => s + "</w>")).Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i, StringComparer.Ordinal);
        encoder["<|startoftext|>"] = StartOfText;
        encoder["<|endoftext|>"] = EndOfText;
        return new ClipVocabulary(encoder, []);
    }

    /// <summary>Finds a vocabulary: a folder with vocab.json + merges.txt or bpe_simple_vocab_16e6.txt.gz, or the file itself.</summary>
    public static ClipVocabulary Load(string path)
    {
        if (File.Exists(path) && path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            return FromOpenAi(path);
        }

        var dir = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (File.Exists(Path.Combine(dir, "vocab.json")) && File.Exists(Path.Combine(dir, "merges.txt")))
        {
            return FromHuggingFace(Path.Combine(dir, "vocab.json"), Path.Combine(dir, "merges.txt"));
        }

        if (File.Exists(Path.Combine(dir, "bpe_simple_vocab_16e6.txt.gz")))
        {
            return FromOpenAi(Path.Combine(dir, "bpe_simple_vocab_16e6.txt.gz"));
        }

        throw new ClipVocabularyException(path, "no CLIP vocabulary here: expected vocab.json + merges.txt or bpe_simple_vocab_16e6.txt.gz");
    }

    private static Dictionary<(string, string), int> BuildRanks(List<string[]> merges)
    {
        var ranks = new Dictionary<(string, string), int>(merges.Count);
        for (var i = 0; i < merges.Count; i++)
        {
            ranks.TryAdd((merges[i][0], merges[i][1]), i);
        }

        return ranks;
    }
}

/// <summary>A CLIP vocabulary file that cannot be used.</summary>
public sealed class ClipVocabularyException(string path, string detail) : SeamlessException(path, detail);
