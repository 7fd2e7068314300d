using Seamless.Errors;

namespace Seamless.Engine.Compute;

/// <summary>The engine cannot run where it was asked to: a malformed device, or CUDA asked of a build or machine without it.</summary>
public sealed class EngineDeviceException(string detail) : SeamlessException(null, detail);
