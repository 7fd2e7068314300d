using System.Text.Json;
using Seamless.Engine.Text;

namespace Seamless.Tests.Text;

/// <summary>
/// Against the <c>a1111.*</c> fields of ../shared/golden/tokenizer_goldens.json (AUTOMATIC1111/Forge chunking, see that
/// folder's README): the parsed emphasis, token count, SD1 and bigG chunks, and per-position multipliers.
/// </summary>
public sealed class PromptChunkerTests
{
    private static readonly Lazy<ClipTokenizer> Tokenizer = new(() => new ClipTokenizer(ClipVocabulary.FromOpenAi(SharedData.File("clip/bpe_simple_vocab_16e6.txt.gz")!)));

    private static JsonElement[] Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.File("golden/tokenizer_goldens.json")!));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Where(c => c.TryGetProperty("a1111", out _)).Select(c => c.Clone()).ToArray();
    }

    [SharedDataFact]
    public void Parse_EveryGoldenCase_SameFragmentsAndWeights()
    {
        var failures = new List<string>();
        foreach (var c in Cases())
        {
            var expected = c.GetProperty("a1111").GetProperty("parsed").EnumerateArray().Select(p => (p[0].GetString()!, p[1].GetDouble())).ToList();
            var actual = PromptParser.Parse(c.GetProperty("text").GetString()!);
            if (expected.Count != actual.Count || expected.Zip(actual).Any(x => x.First.Item1 != x.Second.Text || Math.Abs(x.First.Item2 - x.Second.Weight) > 1e-9))
            {
                failures.Add($"{c.GetProperty("name").GetString()}: {string.Join(" | ", actual.Select(a => $"{a.Text}:{a.Weight}"))}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [SharedDataFact]
    public void Chunk_EveryGoldenCase_SameChunksCountsAndMultipliers()
    {
        var chunker = new PromptChunker(Tokenizer.Value);
        var failures = new List<string>();
        foreach (var c in Cases())
        {
            var a = c.GetProperty("a1111");
            var name = c.GetProperty("name").GetString();
            var text = c.GetProperty("text").GetString()!;
            var (sd1, count) = chunker.Chunk(text);
            var (bigg, _) = chunker.Chunk(text, pad: 0);
            var expectedSd1 = a.GetProperty("chunks_sd1").EnumerateArray().Select(x => x.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToList();
            var expectedBigg = a.GetProperty("chunks_bigg").EnumerateArray().Select(x => x.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToList();
            var expectedMult = a.GetProperty("multipliers").EnumerateArray().Select(x => x.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToList();
            if (count != a.GetProperty("token_count").GetInt32())
            {
                failures.Add($"{name}: token count {count}, expected {a.GetProperty("token_count").GetInt32()}");
            }

            if (sd1.Count != expectedSd1.Count || sd1.Zip(expectedSd1).Any(x => !x.First.Tokens.SequenceEqual(x.Second)))
            {
                failures.Add($"{name}: SD1 chunks differ ({sd1.Count} vs {expectedSd1.Count})");
            }

            if (bigg.Count != expectedBigg.Count || bigg.Zip(expectedBigg).Any(x => !x.First.Tokens.SequenceEqual(x.Second)))
            {
                failures.Add($"{name}: bigG chunks differ");
            }

            if (sd1.Count != expectedMult.Count || sd1.Zip(expectedMult).Any(x => x.First.Multipliers.Zip(x.Second).Any(m => Math.Abs(m.First - m.Second) > 1e-6)))
            {
                failures.Add($"{name}: multipliers differ");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
