namespace Seamless.Evaluation.Prompts;

/// <summary>How a prompt set's tags (and seeds) are drawn.</summary>
public enum TagDraw
{
    /// <summary>
    /// Seamless's own: a SplitMix64 stream per (seed, set, prompt), so any prompt can be drawn alone; each prompt has
    /// its own image seed.
    /// </summary>
    Streams,

    /// <summary>
    /// As the rimo benchmark draws them: one <c>random.Random(TagsSeed)</c> per prompt set, <c>sample(tags, m)</c> per
    /// prompt, reproduced bit for bit (<see cref="Protocols.PythonRandom"/>); every prompt's images use the
    /// protocol's seed.
    /// </summary>
    CPython,
}
