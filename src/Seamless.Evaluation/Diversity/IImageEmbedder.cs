using Seamless.Evaluation.Images;

namespace Seamless.Evaluation.Diversity;

/// <summary>
/// An image encoder (CLIP ViT-B/32's projected image embedding, for the benchmark's diversity): one vector per image.
/// Implementations batch internally and are safe to call from one thread at a time.
/// </summary>
public interface IImageEmbedder : IDisposable
{
    EncoderSpec Spec { get; }

    /// <summary>One embedding per image, in order; every vector has the same length.</summary>
    Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<RgbaImage> images, CancellationToken cancellationToken);
}
