namespace Seamless.Search.Merges;

/// <summary>Blocks that share one searched weight per model (a single block, or a range such as IN00-IN03), with its bounds.</summary>
public sealed record BlockGroup(string Label, IReadOnlyList<string> Blocks, double Low, double High);
