namespace Seamless.Tagging.Onnx;

/// <summary>
/// How to run a tagger: images per <c>Run</c>, the CUDA execution provider (needs the GPU build of ONNX Runtime)
/// intra-op threads (0: ONNX Runtime's default, one per core) and whether idle ONNX Runtime threads spin (off: the
/// overlapped preprocessing needs the core).
/// </summary>
public sealed record OnnxTaggerOptions(int BatchSize = 8, bool UseCuda = false, int CudaDevice = 0, int IntraOpThreads = 0, bool AllowSpinning = false);
