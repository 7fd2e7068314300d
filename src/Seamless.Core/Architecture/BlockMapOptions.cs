namespace Seamless.Architecture;

/// <summary>The user-selectable parts of the key → block rules; written into every output's recipe.</summary>
public sealed record BlockMapOptions(
    TimeEmbedRule TimeEmbed = TimeEmbedRule.In00,
    VaeRule Vae = VaeRule.Base,
    MiddleRule Middle = MiddleRule.Whole,
    OutRule Out = OutRule.LastOut)
{
    public static BlockMapOptions Default { get; } = new();

    /// <summary>
    /// The rules in words. The defaults' text never changes: it is part of every cached candidate's identity, so the
    /// later rules appear only when they differ from their defaults.
    /// </summary>
    public string Describe() =>
        $"time_embed/label_emb→{(TimeEmbed == TimeEmbedRule.In00 ? "IN00" : "BASE")}, VAE→{(Vae == VaeRule.Base ? "BASE" : "VAE")}"
        + (Middle == MiddleRule.Split ? ", middle_block.2→M01" : string.Empty)
        + (Out == OutRule.Base ? ", out→BASE" : string.Empty);
}
