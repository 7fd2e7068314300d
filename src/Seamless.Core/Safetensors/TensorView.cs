using System.IO.MemoryMappedFiles;

namespace Seamless.Safetensors;

/// <summary>
/// Zero-copy read-only bytes of one tensor, mapped on demand. Disposing unmaps it, so resident memory stays bounded
/// by the tensors in use rather than growing with the model.
/// </summary>
public sealed unsafe class TensorView : IDisposable
{
    private readonly MemoryMappedViewAccessor? _accessor;
    private byte* _pointer;
    private readonly int _length;

    internal TensorView(TensorInfo info, MemoryMappedViewAccessor? accessor, int length)
    {
        Info = info;
        _accessor = accessor;
        _length = length;
        if (accessor is not null)
        {
            byte* p = null;
            accessor.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            _pointer = p + accessor.PointerOffset;
        }
    }

    /// <summary>A view into a mapping its file keeps (<see cref="SafetensorsFile.KeepMapped"/>); disposing it releases nothing.</summary>
    internal TensorView(TensorInfo info, byte* pointer, int length)
    {
        Info = info;
        _pointer = pointer;
        _length = length;
    }

    public TensorInfo Info { get; }

    public ReadOnlySpan<byte> Bytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(_accessor is not null && _pointer is null, this);
            return _length == 0 ? [] : new ReadOnlySpan<byte>(_pointer, _length);
        }
    }

    public void Dispose()
    {
        if (_accessor is not null && _pointer is not null)
        {
            _pointer = null;
            _accessor.SafeMemoryMappedViewHandle.ReleasePointer();
            _accessor.Dispose();
        }
    }
}
