namespace Seamless.Tagging.Onnx;

/// <summary>
/// How to run a tagger: images per <c>Run</c>, the CUDA execution provider (needs the GPU build of ONNX Runtime)
/// and intra-op threads (0: ONNX Runtime's default, one per core).
/// </summary>
public sealed record OnnxTaggerOptions(int BatchSize = 8, bool UseCuda = false, int CudaDevice = 0, int IntraOpThreads = 0);
