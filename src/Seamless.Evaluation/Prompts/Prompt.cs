namespace Seamless.Evaluation.Prompts;

/// <summary>
/// One prompt of a set: the drawn (scored) tags in canonical form, the text sent to the backend, and the seed of
/// its first image (image i uses <c>Seed + i</c>).
/// </summary>
public sealed record Prompt(int Index, IReadOnlyList<string> Tags, string Text, string Negative, long Seed);
