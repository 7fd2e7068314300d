namespace Seamless.Search.Merges.Configuration;

/// <summary>
/// <c>objective</c> as written: a command that scores a candidate (with an optional timeout in seconds), or the built-in
/// tag accuracy, whose options (the <c>seamless bench</c> option names with underscores) the application validates.
/// A list value (several backends' urls) keeps its items.
/// </summary>
public sealed record ObjectiveDocument(string? Command, double? TimeoutSeconds, IReadOnlyDictionary<string, IReadOnlyList<string>>? TagAccuracy)
{
    public bool Equals(ObjectiveDocument? other) =>
        other is not null && Command == other.Command && TimeoutSeconds == other.TimeoutSeconds
        && Structural.Maps(TagAccuracy, other.TagAccuracy, Structural.Lists);

    public override int GetHashCode() => HashCode.Combine(Command, TimeoutSeconds, TagAccuracy?.Count);
}
