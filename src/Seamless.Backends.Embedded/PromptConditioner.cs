using Seamless.Engine.Text;
using Seamless.Engine.Torch.Pipeline;
using static TorchSharp.torch;

namespace Seamless.Backends.Embedded;

/// <summary>
/// A1111's conditioning: the prompt in 77-token chunks (<see cref="PromptChunker"/>: emphasis, BREAK, comma back-off),
/// each encoded on its own, scaled by its emphasis weights and rescaled to its original mean (A1111's "Original"
/// emphasis), concatenated along the token axis. Prompt and negative are padded to the same number of chunks with the
/// empty prompt's encoding, so they share one UNet batch. SDXL encodes each chunk with both text models (CLIP-L padded
/// with end-of-text, bigG with 0) side by side, takes the pooled vector from the first chunk, and, as A1111 does, uses
/// zeros for the text parts of an empty negative prompt.
/// </summary>
internal sealed class PromptConditioner(ClipTokenizer tokenizer, int clipSkip)
{
    private readonly PromptChunker _chunker = new(tokenizer);

    public sealed record Conditioning(Tensor Context, Tensor? Vector);

    public (Conditioning Cond, Conditioning Uncond) Encode(DiffusionPipeline pipeline, string prompt, string negative, int width, int height)
    {
        using var scope = NewDisposeScope();
        var (cond, condPooled) = Chunks(pipeline, prompt);
        var (uncond, uncondPooled) = Chunks(pipeline, negative);
        var sdxl = pipeline as SdxlPipeline;
        if (sdxl is not null && negative.Length == 0)
        {
            uncond = uncond.Select(t => zeros_like(t)).ToList();
            uncondPooled = zeros_like(uncondPooled!);
        }

        var empty = sdxl is not null && negative.Length == 0 ? zeros_like(cond[0]) : Chunks(pipeline, "").Contexts[0];
        while (cond.Count < uncond.Count)
        {
            cond.Add(empty);
        }

        while (uncond.Count < cond.Count)
        {
            uncond.Add(empty);
        }

        var c = new Conditioning(cat(cond, 1).MoveToOuterDisposeScope(), sdxl?.Vector(condPooled!, width, height).MoveToOuterDisposeScope());
        var u = new Conditioning(cat(uncond, 1).MoveToOuterDisposeScope(), sdxl?.Vector(uncondPooled!, width, height).MoveToOuterDisposeScope());
        return (c, u);
    }

    private (List<Tensor> Contexts, Tensor? Pooled) Chunks(DiffusionPipeline pipeline, string text)
    {
        var result = new List<Tensor>();
        Tensor? pooled = null;
        switch (pipeline)
        {
            case Sd1Pipeline sd1:
                foreach (var chunk in _chunker.Chunk(text).Chunks)
                {
                    result.Add(Emphasise(sd1.Encode(Ids(chunk), clipSkip), chunk));
                }

                break;
            case SdxlPipeline sdxl:
                var chunksL = _chunker.Chunk(text).Chunks;
                var chunksG = _chunker.Chunk(text, pad: 0).Chunks;
                foreach (var (l, g) in chunksL.Zip(chunksG))
                {
                    var zl = Emphasise(sdxl.EncodeL(Ids(l)), l);
                    var (zg, p) = sdxl.EncodeG(Ids(g));
                    result.Add(cat([zl, Emphasise(zg, g)], 2));
                    pooled ??= p;
                }

                break;
            default:
                throw new NotSupportedException(pipeline.GetType().Name);
        }

        return (result, pooled);
    }

    private static Tensor Ids(PromptChunk chunk) => tensor(chunk.Tokens.Select(t => (long)t).ToArray()).reshape(1, chunk.Tokens.Length);

    private static Tensor Emphasise(Tensor z, PromptChunk chunk)
    {
        if (chunk.Multipliers.All(m => m == 1))
        {
            return z;
        }

        var original = z.mean();
        var weights = tensor(chunk.Multipliers.Select(m => (float)m).ToArray()).reshape(1, chunk.Multipliers.Length, 1).to(z.dtype, z.device);
        z *= weights;
        return z * (original / z.mean());
    }
}
