namespace Seamless.Architecture;

/// <summary>The user-selectable parts of the key → block rules; written into every output's recipe.</summary>
public sealed record BlockMapOptions(TimeEmbedRule TimeEmbed = TimeEmbedRule.In00, VaeRule Vae = VaeRule.Base)
{
    public static BlockMapOptions Default { get; } = new();

    public string Describe() =>
        $"time_embed/label_emb→{(TimeEmbed == TimeEmbedRule.In00 ? "IN00" : "BASE")}, VAE→{(Vae == VaeRule.Base ? "BASE" : "VAE")}";
}
