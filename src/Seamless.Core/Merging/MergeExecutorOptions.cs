namespace Seamless.Merging;

/// <summary>
/// Executor knobs. Memory use is bounded by <see cref="Threads"/> × (the largest tensor's mapped inputs +
/// three chunk buffers), independent of model size.
/// </summary>
public sealed record MergeExecutorOptions(int Threads = 0, int ChunkElements = 1 << 16)
{
    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;
}
