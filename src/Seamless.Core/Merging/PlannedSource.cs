using Seamless.Safetensors;

namespace Seamless.Merging;

/// <summary>One input tensor of a planned output tensor and its coefficient.</summary>
public readonly record struct PlannedSource(int Input, TensorInfo Tensor, float Coefficient);
