using System.Numerics.Tensors;

namespace Seamless.Numerics;

/// <summary>The merge kernel: destination = Σ cᵢ·sourceᵢ, accumulated in fp32.</summary>
public static class LinearCombination
{
    /// <summary>Starts an accumulation: destination = c·source.</summary>
    public static void Start(ReadOnlySpan<float> source, float coefficient, Span<float> destination)
    {
        if (coefficient == 1f)
        {
            source.CopyTo(destination);
        }
        else
        {
            TensorPrimitives.Multiply(source, coefficient, destination);
        }
    }

    /// <summary>destination += c·source.</summary>
    public static void Accumulate(ReadOnlySpan<float> source, float coefficient, Span<float> destination) =>
        TensorPrimitives.MultiplyAdd(source, coefficient, destination, destination);
}
