using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Seamless.Backends.Web.ComfyUi;

/// <summary>
/// The text chunks of a PNG (PNG 1.2 §11.3.4: tEXt is Latin-1 keyword NUL text; zTXt is keyword NUL method
/// zlib-text; iTXt is keyword NUL flag method language NUL translated NUL UTF-8 text, zlib-compressed when the flag is
/// 1). ComfyUI's SaveImage stores the executed graph under "prompt" there, which ties each image to the checkpoint that
/// drew it. A chunk that is malformed is skipped; a file that is not a PNG has none.
/// </summary>
public static class PngText
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static IReadOnlyDictionary<string, string> Read(ReadOnlySpan<byte> png)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (png.Length < 8 || !png[..8].SequenceEqual(Signature))
        {
            return result;
        }

        var offset = 8;
        while (offset + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png.Slice(offset, 4));
            if (length > int.MaxValue || offset + 12 + (long)length > png.Length)
            {
                break;
            }

            var type = Encoding.ASCII.GetString(png.Slice(offset + 4, 4));
            var data = png.Slice(offset + 8, (int)length);
            if (type is "tEXt" or "zTXt" or "iTXt" && Parse(type, data) is { } entry)
            {
                result.TryAdd(entry.Key, entry.Value);
            }

            if (type == "IEND")
            {
                break;
            }

            offset += 12 + (int)length;
        }

        return result;
    }

    private static KeyValuePair<string, string>? Parse(string type, ReadOnlySpan<byte> data)
    {
        var nul = data.IndexOf((byte)0);
        if (nul is < 1 or > 79)
        {
            return null;
        }

        var key = Encoding.Latin1.GetString(data[..nul]);
        var rest = data[(nul + 1)..];
        try
        {
            switch (type)
            {
                case "tEXt":
                    return new(key, Encoding.Latin1.GetString(rest));
                case "zTXt":
                    return rest.Length >= 1 && rest[0] == 0 ? new(key, Encoding.Latin1.GetString(Inflate(rest[1..]))) : null;
                default:
                    if (rest.Length < 2)
                    {
                        return null;
                    }

                    var compressed = rest[0] == 1;
                    var afterFlags = rest[2..];
                    var language = afterFlags.IndexOf((byte)0);
                    if (language < 0)
                    {
                        return null;
                    }

                    var afterLanguage = afterFlags[(language + 1)..];
                    var translated = afterLanguage.IndexOf((byte)0);
                    if (translated < 0)
                    {
                        return null;
                    }

                    var text = afterLanguage[(translated + 1)..];
                    return new(key, Encoding.UTF8.GetString(compressed ? Inflate(text) : text));
            }
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static byte[] Inflate(ReadOnlySpan<byte> zlib)
    {
        using var input = new MemoryStream(zlib.ToArray());
        using var inflater = new ZLibStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflater.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Writes <paramref name="png"/> with a tEXt (Latin-1 text) or iTXt (anything else) chunk added before IEND.</summary>
    public static byte[] With(ReadOnlySpan<byte> png, string key, string text)
    {
        var latin1 = text.All(c => c <= 0xFF);
        var body = latin1
            ? [.. Encoding.Latin1.GetBytes(key), 0, .. Encoding.Latin1.GetBytes(text)]
            : (byte[])[.. Encoding.Latin1.GetBytes(key), 0, 0, 0, 0, 0, .. Encoding.UTF8.GetBytes(text)];
        var chunk = new byte[12 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)body.Length);
        Encoding.ASCII.GetBytes(latin1 ? "tEXt" : "iTXt", chunk.AsSpan(4));
        body.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + body.Length), Crc32(chunk.AsSpan(4, 4 + body.Length)));
        var iend = png.Length - 12;
        return [.. png[..iend], .. chunk, .. png[iend..]];
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
