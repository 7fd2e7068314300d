namespace Seamless.Search.Merges.Configuration;

/// <summary><c>rounds</c> as written (see <see cref="RoundPlan"/>); unset values take their defaults when built.</summary>
public sealed record RoundsDocument(IReadOnlyList<string> Pool, int? Count = null, int? Trials = null, string? Folder = null, NextBaseRule? NextBase = null)
{
    public bool Equals(RoundsDocument? other) =>
        other is not null && Structural.Lists(Pool, other.Pool) && Count == other.Count && Trials == other.Trials && Folder == other.Folder && NextBase == other.NextBase;

    public override int GetHashCode() => HashCode.Combine(Pool.Count, Count, Trials, Folder, NextBase);
}
