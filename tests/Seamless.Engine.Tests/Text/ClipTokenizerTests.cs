using System.Text.Json;
using Seamless.Engine.Text;

namespace Seamless.Tests.Text;

/// <summary>
/// Against ../shared/golden/tokenizer_goldens.json: ids computed by OpenAI CLIP's simple_tokenizer.py with ftfy 6.3.1
/// (see that folder's README for how they were made). Exact match required.
/// </summary>
public sealed class ClipTokenizerTests
{
    private static readonly Lazy<ClipTokenizer> OpenAi = new(() => new ClipTokenizer(ClipVocabulary.FromOpenAi(SharedData.File("clip/bpe_simple_vocab_16e6.txt.gz")!)));

    private static JsonElement[] Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.File("golden/tokenizer_goldens.json")!));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToArray();
    }

    [SharedDataFact]
    public void Encode_EveryGoldenCase_SameIdsAsOpenAiClip()
    {
        var failures = new List<string>();
        foreach (var c in Cases())
        {
            var expected = c.GetProperty("bpe_ids").EnumerateArray().Select(x => x.GetInt32()).ToList();
            var actual = OpenAi.Value.Encode(c.GetProperty("text").GetString()!);
            if (!expected.SequenceEqual(actual))
            {
                failures.Add($"{c.GetProperty("name").GetString()}: expected [{string.Join(",", expected.Take(12))}…] got [{string.Join(",", actual.Take(12))}…]");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [SharedDataFact]
    public void Clean_EveryGoldenCase_SameTextAsFtfyAndHtmlUnescape()
    {
        var failures = Cases()
            .Where(c => TextCleaner.Clean(c.GetProperty("text").GetString()!) != c.GetProperty("cleaned").GetString())
            .Select(c => $"{c.GetProperty("name").GetString()}: '{TextCleaner.Clean(c.GetProperty("text").GetString()!)}' vs '{c.GetProperty("cleaned").GetString()}'")
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [SharedDataFact]
    public void Window_GoldenCases_Sd1AndBigGPadding()
    {
        foreach (var c in Cases())
        {
            var tokens = OpenAi.Value.Encode(c.GetProperty("text").GetString()!);
            Assert.Equal(c.GetProperty("ids_sd1").EnumerateArray().Select(x => x.GetInt32()), ClipTokenizer.Window(tokens, ClipVocabulary.EndOfText));
            Assert.Equal(c.GetProperty("ids_bigg").EnumerateArray().Select(x => x.GetInt32()), ClipTokenizer.Window(tokens, 0));
        }
    }

    [SharedDataFact]
    public void FromHuggingFace_SameVocabularyAsOpenAiFile()
    {
        var hf = ClipVocabulary.FromHuggingFace(SharedData.File("clip/vocab.json")!, SharedData.File("clip/merges.txt")!);
        Assert.Equal(49408, hf.Encoder.Count);
        Assert.Equal(OpenAi.Value.Vocabulary.Encoder.OrderBy(kv => kv.Value).Select(kv => kv.Key), hf.Encoder.OrderBy(kv => kv.Value).Select(kv => kv.Key));
        Assert.Equal(OpenAi.Value.Encode("1girl, (o)_(o), café"), new ClipTokenizer(hf).Encode("1girl, (o)_(o), café"));
    }

    [Fact]
    public void Load_FolderWithoutVocabulary_ErrorNamesWhatIsExpected()
    {
        var ex = Assert.Throws<ClipVocabularyException>(() => ClipVocabulary.Load(Path.GetTempPath()));
        Assert.Contains("vocab.json + merges.txt", ex.Message, StringComparison.Ordinal);
    }
}
