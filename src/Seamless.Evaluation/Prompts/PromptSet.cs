using Seamless.Evaluation.Tags;
using Seamless.Fabrication;

namespace Seamless.Evaluation.Prompts;

/// <summary>
/// The prompts of a study: drawn once from the pool by SplitMix64 streams keyed on (seed, set, index), so the
/// same protocol gives the same prompts and seeds on every machine and run. The held-out set uses its own stream.
/// </summary>
public sealed class PromptSet
{
    private const ulong SearchStream = 0x5EA4C4;
    private const ulong HeldOutStream = 0x4E1D007;

    private PromptSet(IReadOnlyList<Prompt> prompts) => Prompts = prompts;

    public IReadOnlyList<Prompt> Prompts { get; }

    public static PromptSet Search(TagPool pool, PromptProtocol protocol) =>
        Draw(pool, protocol, protocol.Prompts, protocol.TagsPerPrompt, SearchStream);

    public static PromptSet HeldOut(TagPool pool, PromptProtocol protocol) =>
        Draw(pool, protocol, protocol.HeldOutPrompts, protocol.TagsPerPrompt, HeldOutStream);

    /// <summary>Prompts of <paramref name="tagsPerPrompt"/> tags, for the accuracy-versus-tag-count table.</summary>
    public static PromptSet WithTagCount(TagPool pool, PromptProtocol protocol, int prompts, int tagsPerPrompt) =>
        Draw(pool, protocol, prompts, tagsPerPrompt, 0x7A6C0000UL + (ulong)tagsPerPrompt);

    /// <summary>The first ⌈fidelity · n⌉ prompts (at least one): cheaper evaluations are prefixes of the full one.</summary>
    public IReadOnlyList<Prompt> Take(double fidelity)
    {
        var n = (int)Math.Ceiling(Math.Clamp(fidelity, 0, 1) * Prompts.Count - 1e-9);
        return Prompts.Take(Math.Max(1, n)).ToList();
    }

    private static PromptSet Draw(TagPool pool, PromptProtocol protocol, int count, int tagsPerPrompt, ulong stream)
    {
        if (protocol.Draw == TagDraw.CPython)
        {
            return DrawAsCPython(pool, protocol, count, tagsPerPrompt, stream);
        }

        var tags = pool.Tags;
        var m = Math.Min(tagsPerPrompt, tags.Count);
        var prefix = protocol.Prefix.Select(p => TagText.ForPrompt(TagText.Canonical(p), protocol.Underscores));
        var prompts = new List<Prompt>(count);
        var scratch = new int[tags.Count];
        for (var i = 0; i < count; i++)
        {
            var rng = new SplitMix64(Mix(protocol.Seed, stream, (ulong)i));
            for (var k = 0; k < scratch.Length; k++)
            {
                scratch[k] = k;
            }

            // Partial Fisher–Yates: the first m slots are a uniform draw without replacement.
            var drawn = new string[m];
            for (var k = 0; k < m; k++)
            {
                var j = k + rng.NextBelow(scratch.Length - k);
                (scratch[k], scratch[j]) = (scratch[j], scratch[k]);
                drawn[k] = tags[scratch[k]];
            }

            var text = string.Join(protocol.Joiner, prefix.Concat(drawn.Select(t => TagText.ForPrompt(t, protocol.Underscores))));
            var seed = (long)(rng.Next() >> 33);
            prompts.Add(new Prompt(i, drawn, text, protocol.Negative, seed));
        }

        return new PromptSet(prompts);
    }

    /// <summary>
    /// The rimo benchmark's draw (评测多标签.py): a fresh <c>random.Random(tags_seed)</c> per prompt set — the held-out
    /// set from the next seed — then <c>rd.sample(tags, m)</c> per prompt; the prompt is the prefix and the tags joined,
    /// with spaces as underscores when the protocol says so, and every prompt's images use the protocol's seed.
    /// </summary>
    private static PromptSet DrawAsCPython(TagPool pool, PromptProtocol protocol, int count, int tagsPerPrompt, ulong stream)
    {
        var random = new Protocols.PythonRandom(protocol.TagsSeed + (stream == HeldOutStream ? 1 : 0));
        var m = Math.Min(tagsPerPrompt, pool.Tags.Count);
        var prefix = string.Join(protocol.Joiner, protocol.Prefix);
        var prompts = new List<Prompt>(count);
        for (var i = 0; i < count; i++)
        {
            var drawn = random.Sample(pool.Tags, m).Select(t => t.Trim()).ToList();
            var written = drawn.Select(t => protocol.Underscores ? t.Replace(' ', '_') : t);
            var text = prefix.Length == 0 ? string.Join(protocol.Joiner, written) : $"{prefix}{protocol.Joiner}{string.Join(protocol.Joiner, written)}";
            prompts.Add(new Prompt(i, drawn.Select(TagText.Canonical).ToList(), text, protocol.Negative, (long)protocol.Seed));
        }

        return new PromptSet(prompts);
    }

    private static ulong Mix(ulong seed, ulong stream, ulong index)
    {
        var r = new SplitMix64(seed ^ (stream * 0x9E3779B97F4A7C15UL));
        var a = r.Next();
        return a ^ new SplitMix64(a + index).Next();
    }
}
