using Seamless.Engine.Text;
using Seamless.Engine.Torch.Pipeline;
using static TorchSharp.torch;

namespace Seamless.Backends.Embedded;

/// <summary>
/// A1111's conditioning for SD1: the prompt in 77-token chunks (<see cref="PromptChunker"/>: emphasis, BREAK, comma
/// back-off), each encoded on its own, scaled by its emphasis weights and rescaled to its original mean (A1111's
/// "Original" emphasis), concatenated along the token axis. Prompt and negative are padded to the same number of
/// chunks with the empty prompt's encoding, so they share one UNet batch.
/// </summary>
internal sealed class PromptConditioner(ClipTokenizer tokenizer, int clipSkip)
{
    private readonly PromptChunker _chunker = new(tokenizer);

    public (Tensor Cond, Tensor Uncond) Encode(Sd1Pipeline pipeline, string prompt, string negative)
    {
        using var scope = NewDisposeScope();
        var cond = Chunks(pipeline, prompt);
        var uncond = Chunks(pipeline, negative);
        var empty = Chunks(pipeline, "")[0];
        while (cond.Count < uncond.Count)
        {
            cond.Add(empty);
        }

        while (uncond.Count < cond.Count)
        {
            uncond.Add(empty);
        }

        var c = cat(cond, 1).MoveToOuterDisposeScope();
        var u = cat(uncond, 1).MoveToOuterDisposeScope();
        return (c, u);
    }

    private List<Tensor> Chunks(Sd1Pipeline pipeline, string text)
    {
        var (chunks, _) = _chunker.Chunk(text);
        var result = new List<Tensor>();
        foreach (var chunk in chunks)
        {
            var ids = tensor(chunk.Tokens.Select(t => (long)t).ToArray()).reshape(1, chunk.Tokens.Length);
            var z = pipeline.Encode(ids, clipSkip);
            if (chunk.Multipliers.Any(m => m != 1))
            {
                var original = z.mean();
                var weights = tensor(chunk.Multipliers.Select(m => (float)m).ToArray()).reshape(1, chunk.Multipliers.Length, 1);
                z *= weights;
                z *= original / z.mean();
            }

            result.Add(z);
        }

        return result;
    }
}
