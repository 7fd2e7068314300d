namespace Seamless.Reports.Model;

/// <summary>One kept image: its prompt's index, seed and tags, which tags the tagger found, and its file name.</summary>
public sealed record TrialSample(int Prompt, long Seed, IReadOnlyList<string> Tags, IReadOnlyList<bool> Found, string Image);
