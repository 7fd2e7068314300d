namespace Seamless.Merging;

/// <summary>Progress of a running merge, in output bytes and tensors.</summary>
public readonly record struct MergeProgress(long BytesDone, long BytesTotal, int TensorsDone, int TensorsTotal);
