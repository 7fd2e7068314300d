namespace Seamless.Engine.Text;

/// <summary>One 77-token window of a long prompt (BOS, 75 tokens or padding, EOS) and each position's emphasis weight.</summary>
public sealed record PromptChunk(int[] Tokens, double[] Multipliers);
