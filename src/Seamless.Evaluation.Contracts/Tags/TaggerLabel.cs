namespace Seamless.Evaluation.Tags;

/// <summary>One output of a tagger: its index in the output vector, canonical name, kind and danbooru post count.</summary>
public sealed record TaggerLabel(int Index, string Name, TagKind Kind, long? Count);
