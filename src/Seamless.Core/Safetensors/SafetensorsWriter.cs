using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Seamless.Errors;

namespace Seamless.Safetensors;

/// <summary>
/// Writes a safetensors file whose layout is fixed up front: the header goes first (all sizes are known from the
/// specs), then tensor bytes arrive in any order and from any thread through <see cref="Write"/>. Everything goes
/// to a temporary file in the target folder; <see cref="Commit"/> checks that every byte was written, fsyncs and
/// renames it into place, so a crash or a cancel never leaves a half-written output under the real name.
/// </summary>
public sealed class SafetensorsWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly SafeFileHandle _handle;
    private readonly long[] _offsets;
    private readonly long[] _written;
    private bool _committed;
    private bool _disposed;

    private SafetensorsWriter(string path, string tempPath, FileStream stream, IReadOnlyList<TensorSpec> specs, long[] offsets, long dataStart)
    {
        Path = path;
        TempPath = tempPath;
        _stream = stream;
        _handle = stream.SafeFileHandle;
        Specs = specs;
        _offsets = offsets;
        _written = new long[specs.Count];
        DataStart = dataStart;
    }

    public string Path { get; }

    public string TempPath { get; }

    public IReadOnlyList<TensorSpec> Specs { get; }

    public long DataStart { get; }

    public static SafetensorsWriter Create(string path, IReadOnlyList<TensorSpec> specs, IReadOnlyDictionary<string, string>? metadata)
    {
        var full = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new SafetensorsException(path, SafetensorsError.WriteFailed, $"output folder '{folder}' does not exist");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var offsets = new long[specs.Count];
        long cursor = 0;
        for (var i = 0; i < specs.Count; i++)
        {
            if (!names.Add(specs[i].Name) || specs[i].Name == SafetensorsHeader.MetadataKey)
            {
                throw new ArgumentException($"tensor name '{specs[i].Name}' is duplicated or reserved", nameof(specs));
            }

            offsets[i] = cursor;
            cursor = checked(cursor + specs[i].ByteLength);
        }

        var header = BuildHeader(specs, offsets, metadata);
        var tempPath = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        FileStream stream;
        try
        {
            stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SafetensorsException(path, SafetensorsError.WriteFailed, $"cannot create a file in '{folder}' ({e.Message})", e);
        }

        try
        {
            var dataStart = 8L + header.Length;
            stream.SetLength(dataStart + cursor);
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            RandomAccess.Write(stream.SafeFileHandle, prefix, 0);
            RandomAccess.Write(stream.SafeFileHandle, header, 8);
            return new SafetensorsWriter(full, tempPath, stream, specs, offsets, dataStart);
        }
        catch (Exception e)
        {
            stream.Dispose();
            File.Delete(tempPath);
            throw new SafetensorsException(path, SafetensorsError.WriteFailed, $"cannot write ({e.Message})", e);
        }
    }

    /// <summary>Writes bytes of tensor <paramref name="index"/> at <paramref name="byteOffset"/> within it. Thread-safe.</summary>
    public void Write(int index, long byteOffset, ReadOnlySpan<byte> bytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var spec = Specs[index];
        if (byteOffset < 0 || byteOffset + bytes.Length > spec.ByteLength)
        {
            throw new ArgumentOutOfRangeException(nameof(byteOffset), $"write of {bytes.Length} bytes at {byteOffset} is outside tensor '{spec.Name}' ({spec.ByteLength} bytes)");
        }

        RandomAccess.Write(_handle, bytes, DataStart + _offsets[index] + byteOffset);
        Interlocked.Add(ref _written[index], bytes.Length);
    }

    /// <summary>Flushes to disk and moves the file to its final name (replacing any file there).</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var i = 0; i < Specs.Count; i++)
        {
            if (Interlocked.Read(ref _written[i]) != Specs[i].ByteLength)
            {
                throw new InvalidOperationException($"tensor '{Specs[i].Name}' got {_written[i]} of {Specs[i].ByteLength} bytes before commit");
            }
        }

        try
        {
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
            File.Move(TempPath, Path, overwrite: true);
            _committed = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SafetensorsException(Path, SafetensorsError.WriteFailed, $"cannot finish writing ({e.Message})", e);
        }
    }

    /// <summary>Without a prior <see cref="Commit"/>, deletes the temporary file: nothing half-written survives.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stream.Dispose();
        if (!_committed)
        {
            try
            {
                File.Delete(TempPath);
            }
            catch (IOException)
            {
                // Best effort: the temp name starts with a dot and ends in .tmp, so it is recognisable debris.
            }
        }
    }

    /// <summary>Writes a whole set of in-memory tensors (tests, small files, fabricated models).</summary>
    public static void WriteAll(string path, IReadOnlyList<(TensorSpec Spec, byte[] Bytes)> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var writer = Create(path, tensors.Select(t => t.Spec).ToList(), metadata);
        for (var i = 0; i < tensors.Count; i++)
        {
            writer.Write(i, 0, tensors[i].Bytes);
        }

        writer.Commit();
    }

    private static byte[] BuildHeader(IReadOnlyList<TensorSpec> specs, long[] offsets, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            for (var i = 0; i < specs.Count; i++)
            {
                json.WriteStartObject(specs[i].Name);
                json.WriteString("dtype", specs[i].DType.HeaderName());
                json.WriteStartArray("shape");
                foreach (var d in specs[i].Shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offsets[i]);
                json.WriteNumberValue(offsets[i] + specs[i].ByteLength);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        // Pad with spaces so tensor data starts 8-byte aligned (the format allows trailing whitespace).
        var length = (int)buffer.Length;
        var padded = (length + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.GetBuffer().AsSpan(0, length).CopyTo(header);
        header.AsSpan(length).Fill((byte)' ');
        return header;
    }
}
