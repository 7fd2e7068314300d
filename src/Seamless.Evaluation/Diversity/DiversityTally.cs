namespace Seamless.Evaluation.Diversity;

/// <summary>
/// The benchmark's diversity: for each prompt, the cosine similarity of the embeddings of consecutive images
/// (<c>itertools.pairwise</c> over the images in seed order, 评测多标签.py @ 749a1794 of
/// RimoChan/stable-diffusion-anime-tag-benchmark); diversity = 1 − the mean over every pair of every prompt.
/// A prompt with one image adds no pair.
/// </summary>
public sealed class DiversityTally
{
    private double _sum;

    public int Pairs { get; private set; }

    /// <summary>1 − the pooled mean similarity; null before the first pair.</summary>
    public double? Value => Pairs == 0 ? null : 1 - (_sum / Pairs);

    /// <summary>Adds one prompt's images, in seed order.</summary>
    public void Add(IReadOnlyList<float[]> embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        for (var i = 1; i < embeddings.Count; i++)
        {
            _sum += Cosine(embeddings[i - 1], embeddings[i]);
            Pairs++;
        }
    }

    /// <summary>a·b / (|a| |b|), accumulated in double; 0 when either vector is zero (no direction to compare).</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"embeddings of {a.Length} and {b.Length} values", nameof(b));
        }

        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}
