using Seamless.Evaluation.Images;
using Seamless.Evaluation.Tags;

namespace Seamless.Evaluation.Tagging;

/// <summary>
/// An anime tagger: per image, a probability for every label. Implementations batch internally and are safe to
/// call from one thread at a time.
/// </summary>
public interface IImageTagger : IDisposable
{
    TaggerLabels Labels { get; }

    TaggerSpec Spec { get; }

    /// <summary>One probability vector (length <c>Labels.Count</c>) per image, in order.</summary>
    Task<IReadOnlyList<float[]>> TagAsync(IReadOnlyList<RgbaImage> images, CancellationToken cancellationToken);
}
