namespace Seamless.Merging;

/// <summary>What a finished merge reports back.</summary>
public sealed record MergeResult(string OutputPath, MergePlan Plan, TimeSpan Elapsed);
