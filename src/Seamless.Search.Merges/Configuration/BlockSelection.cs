namespace Seamless.Search.Merges.Configuration;

/// <summary>
/// What <c>blocks</c> names: a preset (<c>all</c>, or <c>unet14</c>, the original's 14 groups) or a list of blocks and
/// ranges such as <c>[IN00-IN03, M00, OUT08]</c>, each entry one searched group.
/// </summary>
public sealed record BlockSelection(string? Preset, IReadOnlyList<string> Entries)
{
    public static readonly BlockSelection All = new("all", []);

    public bool IsOriginal => Preset == OriginalSearchSpace.Name;

    public static BlockSelection Of(params string[] entries) => new(null, entries);

    public bool Equals(BlockSelection? other) => other is not null && Preset == other.Preset && Structural.Lists(Entries, other.Entries);

    public override int GetHashCode() => HashCode.Combine(Preset, Entries.Count);
}
