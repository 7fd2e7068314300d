using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;
using Seamless.Errors;

namespace Seamless.Safetensors;

/// <summary>
/// A validated, read-only safetensors file. Opening reads and checks only the header; tensor bytes are mapped
/// lazily, one tensor at a time (<see cref="OpenTensor"/>), or copied with positioned reads (<see cref="Read"/>).
/// The file is opened read-only and shared: an input is never modified.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly object _mapLock = new();
    private MemoryMappedFile? _map;
    private MemoryMappedViewAccessor? _whole;
    private unsafe byte* _wholePointer;

    private SafetensorsFile(string path, SafeFileHandle handle, long fileLength, long headerLength, SafetensorsHeader header)
    {
        Path = path;
        _handle = handle;
        FileLength = fileLength;
        HeaderLength = headerLength;
        Header = header;
    }

    public string Path { get; }

    public long FileLength { get; }

    /// <summary>Length of the JSON header in bytes (without the 8-byte length prefix).</summary>
    public long HeaderLength { get; }

    /// <summary>File offset of the first tensor byte.</summary>
    public long DataStart => 8 + HeaderLength;

    public SafetensorsHeader Header { get; }

    public IReadOnlyList<TensorInfo> Tensors => Header.Tensors;

    public IReadOnlyDictionary<string, string> Metadata => Header.Metadata;

    public bool TryGet(string name, out TensorInfo info) => Header.ByName.TryGetValue(name, out info!);

    public TensorInfo this[string name] => Header.ByName[name];

    public static SafetensorsFile Open(string path)
    {
        CheckpointFileSniffer.EnsureSafetensorsCandidate(path);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SafetensorsException(path, SafetensorsError.NotFound, $"cannot open ({e.Message})", e);
        }

        try
        {
            var length = RandomAccess.GetLength(handle);
            if (length < 8)
            {
                throw new SafetensorsException(path, SafetensorsError.FileTooSmall, $"file is {length} bytes, too small for a safetensors header (empty or truncated)");
            }

            Span<byte> prefix = stackalloc byte[8];
            RandomAccess.Read(handle, prefix, 0);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > SafetensorsHeader.MaxHeaderLength)
            {
                throw new SafetensorsException(path, SafetensorsError.HeaderTooLarge, $"header length {headerLength} exceeds the format's limit of {SafetensorsHeader.MaxHeaderLength} bytes (not a safetensors file?)");
            }

            if ((long)headerLength > length - 8)
            {
                throw new SafetensorsException(path, SafetensorsError.HeaderOutOfBounds, $"header length {headerLength} runs past the end of the {length}-byte file (truncated?)");
            }

            var json = new byte[(int)headerLength];
            ReadExactly(handle, json, 8);
            var header = SafetensorsHeader.Parse(json, length - 8 - (long)headerLength, path);
            return new SafetensorsFile(path, handle, length, (long)headerLength, header);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Maps the bytes of one tensor. The caller disposes the view when done with it.</summary>
    public TensorView OpenTensor(TensorInfo info)
    {
        if (info.ByteLength > int.MaxValue)
        {
            throw new SafetensorsException(Path, SafetensorsError.TensorTooLarge, $"tensor '{info.Name}' is larger than 2 GiB and cannot be mapped as one span");
        }

        if (info.ByteLength == 0)
        {
            return new TensorView(info, (MemoryMappedViewAccessor?)null, 0);
        }

        unsafe
        {
            if (_wholePointer is not null)
            {
                return new TensorView(info, _wholePointer + DataStart + info.Begin, (int)info.ByteLength);
            }
        }

        var accessor = Map().CreateViewAccessor(DataStart + info.Begin, info.ByteLength, MemoryMappedFileAccess.Read);
        return new TensorView(info, accessor, (int)info.ByteLength);
    }

    /// <summary>
    /// Maps the whole file once and keeps it mapped until disposal, so <see cref="OpenTensor"/> hands out views into
    /// that one mapping instead of mapping each tensor anew. For readers that visit every tensor again and again
    /// (an engine merging trial after trial): no map/unmap per tensor, and pages stay in this process's page tables.
    /// </summary>
    public void KeepMapped()
    {
        lock (_mapLock)
        {
            unsafe
            {
                if (_wholePointer is not null)
                {
                    return;
                }

                _map ??= MemoryMappedFile.CreateFromFile(_handle, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
                _whole = _map.CreateViewAccessor(0, FileLength, MemoryMappedFileAccess.Read);
                byte* p = null;
                _whole.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
                _wholePointer = p + _whole.PointerOffset;
            }
        }
    }

    /// <summary>Copies bytes of a tensor, starting <paramref name="byteOffset"/> into it, with positioned reads.</summary>
    public void Read(TensorInfo info, long byteOffset, Span<byte> destination)
    {
        if (byteOffset < 0 || byteOffset + destination.Length > info.ByteLength)
        {
            throw new ArgumentOutOfRangeException(nameof(byteOffset), $"read of {destination.Length} bytes at {byteOffset} is outside tensor '{info.Name}'");
        }

        ReadExactly(_handle, destination, DataStart + info.Begin + byteOffset);
    }

    public byte[] ReadAll(TensorInfo info)
    {
        var bytes = new byte[info.ByteLength];
        Read(info, 0, bytes);
        return bytes;
    }

    public void Dispose()
    {
        unsafe
        {
            if (_wholePointer is not null)
            {
                _wholePointer = null;
                _whole!.SafeMemoryMappedViewHandle.ReleasePointer();
                _whole.Dispose();
            }
        }

        _map?.Dispose();
        _handle.Dispose();
    }

    private MemoryMappedFile Map()
    {
        lock (_mapLock)
        {
            return _map ??= MemoryMappedFile.CreateFromFile(_handle, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        }
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            var n = RandomAccess.Read(handle, destination, offset);
            if (n <= 0)
            {
                throw new EndOfStreamException($"unexpected end of file at offset {offset}");
            }

            destination = destination[n..];
            offset += n;
        }
    }
}
