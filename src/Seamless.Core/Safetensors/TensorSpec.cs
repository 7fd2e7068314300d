namespace Seamless.Safetensors;

/// <summary>A tensor to be written: its name, element type and shape (the bytes come later).</summary>
public sealed record TensorSpec(string Name, DType DType, IReadOnlyList<long> Shape)
{
    public long ElementCount => Shape.Aggregate(1L, (a, d) => checked(a * d));

    public long ByteLength => checked(ElementCount * DType.Size());
}
