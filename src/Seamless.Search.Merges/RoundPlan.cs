namespace Seamless.Search.Merges;

/// <summary>
/// The original system's rounds (烙印剧城): each round merges the current base with one model drawn from the pool,
/// searches <see cref="TrialsPerRound"/> trials, and its recommended (or best observed, <see cref="NextBase"/>) merge
/// becomes the next round's base.
/// </summary>
public sealed record RoundPlan(int Count, IReadOnlyList<string> Pool, int TrialsPerRound, string Folder, NextBaseRule NextBase = NextBaseRule.Recommended);
