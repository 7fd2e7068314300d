namespace Seamless.Safetensors;

public static class DTypeExtensions
{
    /// <summary>Bytes per element.</summary>
    public static int Size(this DType dtype) => dtype switch
    {
        DType.F64 or DType.I64 or DType.U64 => 8,
        DType.F32 or DType.I32 or DType.U32 => 4,
        DType.F16 or DType.BF16 or DType.I16 or DType.U16 => 2,
        _ => 1,
    };

    /// <summary>Floating-point types, the ones a merge computes on.</summary>
    public static bool IsFloat(this DType dtype) =>
        dtype is DType.F64 or DType.F32 or DType.F16 or DType.BF16 or DType.F8_E4M3 or DType.F8_E5M2;

    /// <summary>Float types Seamless can write (fp8 is read-only: its rounding rules vary between producers).</summary>
    public static bool IsWritableFloat(this DType dtype) =>
        dtype is DType.F64 or DType.F32 or DType.F16 or DType.BF16;

    /// <summary>The header spelling, e.g. "F16".</summary>
    public static string HeaderName(this DType dtype) => dtype.ToString();

    public static bool TryParseHeaderName(string name, out DType dtype)
    {
        // Enum.TryParse accepts numbers and ignores case; the format is exact.
        foreach (var candidate in Enum.GetValues<DType>())
        {
            if (string.Equals(candidate.ToString(), name, StringComparison.Ordinal))
            {
                dtype = candidate;
                return true;
            }
        }

        dtype = default;
        return false;
    }

    /// <summary>Parses user spellings such as fp16, float16, bf16, fp32.</summary>
    public static bool TryParseUserName(string name, out DType dtype)
    {
        dtype = name.Trim().ToLowerInvariant() switch
        {
            "fp16" or "f16" or "float16" or "half" => DType.F16,
            "bf16" or "bfloat16" => DType.BF16,
            "fp32" or "f32" or "float32" or "float" => DType.F32,
            "fp64" or "f64" or "float64" or "double" => DType.F64,
            _ => (DType)(-1),
        };
        return (int)dtype >= 0;
    }
}
