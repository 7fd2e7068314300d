using System.Text;
using System.Text.RegularExpressions;

namespace Seamless.Engine.Text;

/// <summary>
/// OpenAI CLIP's tokenizer: clean (<see cref="TextCleaner"/>), split with CLIP's pattern, map each piece's UTF-8 bytes
/// to symbols and merge pairs by rank until none applies, the last symbol of a word carrying <c>&lt;/w&gt;</c>.
/// The special tokens written in text map to their ids.
/// </summary>
public sealed partial class ClipTokenizer(ClipVocabulary vocabulary)
{
    private readonly Dictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ClipVocabulary Vocabulary { get; } = vocabulary;

    /// <summary>Token ids without BOS/EOS, untruncated.</summary>
    public IReadOnlyList<int> Encode(string text, bool htmlUnescape = true)
    {
        var ids = new List<int>();
        foreach (Match m in Pattern().Matches(TextCleaner.Clean(text, htmlUnescape)))
        {
            ids.AddRange(Word(m.Value));
        }

        return ids;
    }

    /// <summary>77 ids: BOS, the first 75 tokens, EOS, then <paramref name="pad"/> (49407 for CLIP-L, 0 for OpenCLIP-G).</summary>
    public static int[] Window(IReadOnlyList<int> tokens, int pad)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var ids = new int[77];
        ids[0] = ClipVocabulary.StartOfText;
        var n = Math.Min(75, tokens.Count);
        for (var i = 0; i < n; i++)
        {
            ids[i + 1] = tokens[i];
        }

        ids[n + 1] = ClipVocabulary.EndOfText;
        for (var i = n + 2; i < 77; i++)
        {
            ids[i] = pad;
        }

        return ids;
    }

    private int[] Word(string word)
    {
        lock (_gate)
        {
            if (_cache.TryGetValue(word, out var cached))
            {
                return cached;
            }
        }

        int[] result;
        if (word is "<|startoftext|>" or "<|endoftext|>")
        {
            result = [Vocabulary.Encoder[word]];
        }
        else
        {
            var bytes = Encoding.UTF8.GetBytes(word);
            var symbols = bytes.Select(b => ByteUnicode.Map[b].ToString()).ToList();
            symbols[^1] += "</w>";
            Merge(symbols);
            result = symbols.Select(s => Vocabulary.Encoder[s]).ToArray();
        }

        lock (_gate)
        {
            _cache[word] = result;
        }

        return result;
    }

    /// <summary>Repeatedly merges the lowest-ranked adjacent pair (all its occurrences, left to right).</summary>
    private void Merge(List<string> symbols)
    {
        while (symbols.Count > 1)
        {
            var best = int.MaxValue;
            (string, string) pair = default;
            for (var i = 0; i < symbols.Count - 1; i++)
            {
                if (Vocabulary.Ranks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < best)
                {
                    best = rank;
                    pair = (symbols[i], symbols[i + 1]);
                }
            }

            if (best == int.MaxValue)
            {
                return;
            }

            for (var i = 0; i < symbols.Count - 1; i++)
            {
                if (symbols[i] == pair.Item1 && symbols[i + 1] == pair.Item2)
                {
                    symbols[i] += symbols[i + 1];
                    symbols.RemoveAt(i + 1);
                }
            }
        }
    }

    // CLIP's pre-tokenisation pattern (simple_tokenizer.py), case-insensitive.
    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
