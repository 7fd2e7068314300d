using System.Buffers.Binary;
using System.Text;

namespace Seamless.Tests.TestSupport;

/// <summary>Builds safetensors bytes by hand, including broken ones, independently of the product's writer.</summary>
public static class RawSafetensors
{
    public static byte[] Build(string headerJson, byte[] data, int padding = 0)
    {
        var header = Encoding.UTF8.GetBytes(headerJson + new string(' ', padding));
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    public static byte[] WithLengthPrefix(ulong length, byte[] rest)
    {
        var bytes = new byte[8 + rest.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
        rest.CopyTo(bytes, 8);
        return bytes;
    }
}
