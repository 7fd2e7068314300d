namespace Seamless.Numerics;

/// <summary>
/// Element-at-a-time conversions: the reference the vectorised <see cref="TensorConvert"/> is tested against,
/// and the tail loop of its kernels.
/// </summary>
public static class ScalarConvert
{
    public static float BFloat16ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    public static ushort SingleToBFloat16(float value)
    {
        var u = BitConverter.SingleToUInt32Bits(value);
        if ((u & 0x7FFF_FFFF) > 0x7F80_0000)
        {
            return (ushort)((u >> 16) | 0x0040);
        }

        return (ushort)((u + 0x7FFF + ((u >> 16) & 1)) >> 16);
    }

    public static float HalfToSingle(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    public static ushort SingleToHalf(float value) => BitConverter.HalfToUInt16Bits((Half)value);
}
