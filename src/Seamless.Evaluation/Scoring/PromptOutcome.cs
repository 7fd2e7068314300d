namespace Seamless.Evaluation.Scoring;

/// <summary>
/// What the tagger found for one prompt: for each image (row) and each scored prompt tag (column) whether the
/// tag's probability cleared its threshold. <see cref="Detected"/> is row-major, images × tags.
/// </summary>
public sealed record PromptOutcome(int PromptIndex, IReadOnlyList<string> Tags, int Images, IReadOnlyList<bool> Detected)
{
    public bool this[int image, int tag] => Detected[(image * Tags.Count) + tag];
}
