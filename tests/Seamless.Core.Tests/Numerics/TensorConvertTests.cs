using System.Runtime.InteropServices;
using Seamless.Numerics;
using Seamless.Safetensors;

namespace Seamless.Tests.Numerics;

public sealed class TensorConvertTests
{
    private static ushort[] AllBitPatterns() => Enumerable.Range(0, 65536).Select(i => (ushort)i).ToArray();

    [Fact]
    public void ToSingle_EveryBf16Pattern_MatchesScalarReference()
    {
        var bits = AllBitPatterns();
        var result = new float[bits.Length];
        TensorConvert.ToSingle(MemoryMarshal.AsBytes(bits.AsSpan()), DType.BF16, result);
        for (var i = 0; i < bits.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToUInt32Bits(ScalarConvert.BFloat16ToSingle(bits[i])), BitConverter.SingleToUInt32Bits(result[i]));
        }
    }

    [Fact]
    public void ToSingle_EveryF16Pattern_MatchesScalarReference()
    {
        var bits = AllBitPatterns();
        var result = new float[bits.Length];
        TensorConvert.ToSingle(MemoryMarshal.AsBytes(bits.AsSpan()), DType.F16, result);
        for (var i = 0; i < bits.Length; i++)
        {
            var expected = ScalarConvert.HalfToSingle(bits[i]);
            Assert.True(float.IsNaN(expected) ? float.IsNaN(result[i]) : expected == result[i], $"pattern {bits[i]:X4}");
        }
    }

    [Theory]
    [InlineData(DType.BF16)]
    [InlineData(DType.F16)]
    public void FromSingle_RandomAndEdgeValues_MatchScalarReference(DType dtype)
    {
        var rng = new Random(7);
        var values = Enumerable.Range(0, 100_003).Select(_ => BitConverter.UInt32BitsToSingle((uint)rng.NextInt64(0, uint.MaxValue + 1L)))
            .Concat([0f, -0f, 1f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon, float.MaxValue, 65504f, 65520f, 1.00390625f, 1.01171875f])
            .ToArray();
        var bytes = new byte[values.Length * 2];
        TensorConvert.FromSingle(values, dtype, bytes);
        var result = MemoryMarshal.Cast<byte, ushort>(bytes);
        for (var i = 0; i < values.Length; i++)
        {
            var expected = dtype == DType.BF16 ? ScalarConvert.SingleToBFloat16(values[i]) : ScalarConvert.SingleToHalf(values[i]);
            if (float.IsNaN(values[i]))
            {
                var back = dtype == DType.BF16 ? ScalarConvert.BFloat16ToSingle(result[i]) : ScalarConvert.HalfToSingle(result[i]);
                Assert.True(float.IsNaN(back));
            }
            else
            {
                Assert.Equal(expected, result[i]);
            }
        }
    }

    [Fact]
    public void SingleToBFloat16_Ties_RoundToEven()
    {
        // 1 + 2^-8 is halfway between bf16 1.0 and 1.0078125: ties go to the even mantissa (1.0).
        Assert.Equal(0x3F80, ScalarConvert.SingleToBFloat16(1.00390625f));
        // 1 + 3·2^-8 is halfway between 1.0078125 (odd) and 1.015625 (even).
        Assert.Equal(0x3F82, ScalarConvert.SingleToBFloat16(1.01171875f));
        Assert.Equal(0x7F80, ScalarConvert.SingleToBFloat16(float.PositiveInfinity));
    }

    [Theory]
    [InlineData(DType.F8_E4M3, 0x38, 1.0f)]
    [InlineData(DType.F8_E4M3, 0x7E, 448f)]
    [InlineData(DType.F8_E4M3, 0x01, 0.001953125f)]
    [InlineData(DType.F8_E4M3, 0xC0, -2f)]
    [InlineData(DType.F8_E5M2, 0x3C, 1.0f)]
    [InlineData(DType.F8_E5M2, 0x7B, 57344f)]
    [InlineData(DType.F8_E5M2, 0x7C, float.PositiveInfinity)]
    public void ToSingle_Fp8KnownValues(DType dtype, byte bits, float expected)
    {
        var result = new float[1];
        TensorConvert.ToSingle([bits], dtype, result);
        Assert.Equal(expected, result[0]);
    }

    [Fact]
    public void ToSingle_Fp8E4M3Nan()
    {
        var result = new float[1];
        TensorConvert.ToSingle([0x7F], DType.F8_E4M3, result);
        Assert.True(float.IsNaN(result[0]));
    }

    [Fact]
    public void FromSingle_Fp8_NotSupported() =>
        Assert.Throws<NotSupportedException>(() => TensorConvert.FromSingle([1f], DType.F8_E4M3, new byte[1]));

    [Fact]
    public void LinearCombination_MatchesScalarSum()
    {
        var rng = new Random(3);
        var a = Enumerable.Range(0, 1001).Select(_ => rng.NextSingle()).ToArray();
        var b = Enumerable.Range(0, 1001).Select(_ => rng.NextSingle()).ToArray();
        var acc = new float[a.Length];
        LinearCombination.Start(a, 0.7f, acc);
        LinearCombination.Accumulate(b, -0.2f, acc);
        for (var i = 0; i < a.Length; i++)
        {
            Assert.Equal((0.7f * a[i]) + (-0.2f * b[i]), acc[i], 1e-6f);
        }
    }
}
