namespace Seamless.Architecture;

/// <summary>Where <c>time_embed</c> (and SDXL's <c>label_emb</c>) is weighted.</summary>
public enum TimeEmbedRule
{
    /// <summary>With IN00, as supermerger and sd-meh do.</summary>
    In00,

    /// <summary>With BASE, as sd-mecha does.</summary>
    Base,
}
