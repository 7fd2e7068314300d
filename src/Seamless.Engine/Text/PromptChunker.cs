namespace Seamless.Engine.Text;

/// <summary>
/// A1111/Forge long-prompt handling (classic_engine <c>tokenize_line</c>): each emphasis fragment tokenised on its own
/// (Hugging Face rules: no second HTML unescape), tokens packed 75 to a chunk with their weights; when a chunk is full
/// and the last comma is at most 20 tokens back, the tokens after it move to the next chunk; BREAK closes a chunk.
/// The text encoder runs once per chunk and the outputs are concatenated along the token axis.
/// </summary>
public sealed class PromptChunker(ClipTokenizer tokenizer)
{
    public const int ChunkLength = 75;
    public const int CommaBacktrack = 20;
    public const int Comma = 267;

    public (List<PromptChunk> Chunks, int TokenCount) Chunk(string prompt, int pad = ClipVocabulary.EndOfText)
    {
        var parsed = PromptParser.Parse(prompt);
        var chunks = new List<PromptChunk>();
        var tokens = new List<int>();
        var weights = new List<double>();
        var tokenCount = 0;
        var lastComma = -1;

        void Next(bool last = false)
        {
            tokenCount += last ? tokens.Count : ChunkLength;
            var ids = new int[ChunkLength + 2];
            var mult = new double[ChunkLength + 2];
            ids[0] = ClipVocabulary.StartOfText;
            mult[0] = 1;
            for (var i = 0; i < ChunkLength; i++)
            {
                ids[i + 1] = i < tokens.Count ? tokens[i] : ClipVocabulary.EndOfText;
                mult[i + 1] = i < weights.Count ? weights[i] : 1;
            }

            ids[^1] = ClipVocabulary.EndOfText;
            mult[^1] = 1;

            // OpenCLIP-G pads with 0: every id after the first end-of-text.
            if (pad != ClipVocabulary.EndOfText)
            {
                var end = Array.IndexOf(ids, ClipVocabulary.EndOfText);
                for (var i = end + 1; i < ids.Length; i++)
                {
                    ids[i] = pad;
                }
            }

            chunks.Add(new PromptChunk(ids, mult));
            tokens = [];
            weights = [];
            lastComma = -1;
        }

        foreach (var (text, weight) in parsed)
        {
            if (text == PromptParser.Break && weight == -1)
            {
                Next();
                continue;
            }

            foreach (var token in tokenizer.Encode(text, htmlUnescape: false))
            {
                if (token == Comma)
                {
                    lastComma = tokens.Count;
                }
                else if (tokens.Count == ChunkLength && lastComma != -1 && tokens.Count - lastComma <= CommaBacktrack)
                {
                    var at = lastComma + 1;
                    var movedTokens = tokens[at..];
                    var movedWeights = weights[at..];
                    tokens = tokens[..at];
                    weights = weights[..at];
                    Next();
                    tokens = movedTokens;
                    weights = movedWeights;
                }

                if (tokens.Count == ChunkLength)
                {
                    Next();
                }

                tokens.Add(token);
                weights.Add(weight);
            }
        }

        if (tokens.Count > 0 || chunks.Count == 0)
        {
            Next(last: true);
        }

        return (chunks, tokenCount);
    }
}
