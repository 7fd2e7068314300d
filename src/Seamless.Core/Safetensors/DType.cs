namespace Seamless.Safetensors;

/// <summary>Element types of the safetensors format; member names are the header spellings.</summary>
#pragma warning disable CA1707 // the names must match the format's dtype strings exactly
public enum DType
{
    F64,
    F32,
    F16,
    BF16,
    F8_E4M3,
    F8_E5M2,
    I64,
    I32,
    I16,
    I8,
    U64,
    U32,
    U16,
    U8,
    BOOL,
}
#pragma warning restore CA1707
