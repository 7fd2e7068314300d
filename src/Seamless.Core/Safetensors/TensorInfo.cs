namespace Seamless.Safetensors;

/// <summary>One tensor's entry in a safetensors header. Offsets are relative to the start of the data area.</summary>
public sealed record TensorInfo(string Name, DType DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;

    public long ElementCount => ByteLength / DType.Size();

    public int Rank => Shape.Count;

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    public bool SameShape(TensorInfo other) => Shape.SequenceEqual(other.Shape);
}
