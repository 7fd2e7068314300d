using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Seamless.Safetensors;

namespace Seamless.Numerics;

/// <summary>
/// The one place where raw tensor bytes become fp32 and back. All paths are vectorised; tests compare them with
/// the scalar reference in <see cref="ScalarConvert"/>. Data is little-endian, as the safetensors format requires.
/// </summary>
public static class TensorConvert
{
    private static readonly float[] E4M3Table = BuildFp8Table(exponentBits: 4, mantissaBits: 3, bias: 7, finiteOnly: true);
    private static readonly float[] E5M2Table = BuildFp8Table(exponentBits: 5, mantissaBits: 2, bias: 15, finiteOnly: false);

    /// <summary>Converts <paramref name="source"/> (elements of <paramref name="dtype"/>) to fp32.</summary>
    public static void ToSingle(ReadOnlySpan<byte> source, DType dtype, Span<float> destination)
    {
        var count = source.Length / dtype.Size();
        if (destination.Length < count)
        {
            throw new ArgumentException("destination is too short", nameof(destination));
        }

        destination = destination[..count];
        switch (dtype)
        {
            case DType.F32:
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                break;
            case DType.F16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
                break;
            case DType.BF16:
                BFloat16ToSingle(MemoryMarshal.Cast<byte, ushort>(source), destination);
                break;
            case DType.F64:
                TensorPrimitives.ConvertTruncating<double, float>(MemoryMarshal.Cast<byte, double>(source), destination);
                break;
            case DType.F8_E4M3:
                Lookup(source, E4M3Table, destination);
                break;
            case DType.F8_E5M2:
                Lookup(source, E5M2Table, destination);
                break;
            default:
                throw new NotSupportedException($"{dtype} is not a floating-point type");
        }
    }

    /// <summary>Converts fp32 to <paramref name="dtype"/> with round-to-nearest-even.</summary>
    public static void FromSingle(ReadOnlySpan<float> source, DType dtype, Span<byte> destination)
    {
        if (destination.Length < source.Length * dtype.Size())
        {
            throw new ArgumentException("destination is too short", nameof(destination));
        }

        switch (dtype)
        {
            case DType.F32:
                MemoryMarshal.AsBytes(source).CopyTo(destination);
                break;
            case DType.F16:
                TensorPrimitives.ConvertToHalf(source, MemoryMarshal.Cast<byte, Half>(destination)[..source.Length]);
                break;
            case DType.BF16:
                SingleToBFloat16(source, MemoryMarshal.Cast<byte, ushort>(destination)[..source.Length]);
                break;
            case DType.F64:
                TensorPrimitives.ConvertTruncating<float, double>(source, MemoryMarshal.Cast<byte, double>(destination)[..source.Length]);
                break;
            default:
                throw new NotSupportedException($"cannot write {dtype}; choose fp16, bf16, fp32 or fp64");
        }
    }

    // bf16 is the top half of an fp32: widening is a 16-bit shift.
    internal static void BFloat16ToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var src = ref MemoryMarshal.GetReference(source);
            ref var dst = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(destination));
            for (; i <= source.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                var v = Vector256.LoadUnsafe(ref src, (nuint)i);
                var (lo, hi) = Vector256.Widen(v);
                Vector256.ShiftLeft(lo, 16).StoreUnsafe(ref dst, (nuint)i);
                Vector256.ShiftLeft(hi, 16).StoreUnsafe(ref dst, (nuint)(i + Vector256<uint>.Count));
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = ScalarConvert.BFloat16ToSingle(source[i]);
        }
    }

    // Round to nearest even: add 0x7FFF plus the lowest kept bit, then truncate; NaNs stay NaN (quiet bit set).
    internal static void SingleToBFloat16(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var src = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(source));
            ref var dst = ref MemoryMarshal.GetReference(destination);
            var bias = Vector256.Create(0x7FFFu);
            var one = Vector256.Create(1u);
            var absMask = Vector256.Create(0x7FFF_FFFFu);
            var infinity = Vector256.Create(0x7F80_0000u);
            var quiet = Vector256.Create(0x0040u);
            for (; i <= source.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                var a = Round(Vector256.LoadUnsafe(ref src, (nuint)i));
                var b = Round(Vector256.LoadUnsafe(ref src, (nuint)(i + Vector256<uint>.Count)));
                Vector256.Narrow(a, b).StoreUnsafe(ref dst, (nuint)i);
            }

            Vector256<uint> Round(Vector256<uint> u)
            {
                var rounded = Vector256.ShiftRightLogical(u + bias + (Vector256.ShiftRightLogical(u, 16) & one), 16);
                var nan = Vector256.GreaterThan(u & absMask, infinity);
                return Vector256.ConditionalSelect(nan, Vector256.ShiftRightLogical(u, 16) | quiet, rounded);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = ScalarConvert.SingleToBFloat16(source[i]);
        }
    }

    private static void Lookup(ReadOnlySpan<byte> source, float[] table, Span<float> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = table[source[i]];
        }
    }

    // E4M3 (OCP "fn" variant): no infinities, S.1111.111 is NaN. E5M2 follows IEEE conventions.
    internal static float[] BuildFp8Table(int exponentBits, int mantissaBits, int bias, bool finiteOnly)
    {
        var table = new float[256];
        var maxExponent = (1 << exponentBits) - 1;
        for (var b = 0; b < 256; b++)
        {
            var sign = (b & 0x80) != 0 ? -1f : 1f;
            var exponent = (b >> mantissaBits) & maxExponent;
            var mantissa = b & ((1 << mantissaBits) - 1);
            float value;
            if (exponent == 0)
            {
                value = MathF.ScaleB(mantissa / (float)(1 << mantissaBits), 1 - bias);
            }
            else if (exponent == maxExponent && !finiteOnly)
            {
                value = mantissa == 0 ? float.PositiveInfinity : float.NaN;
            }
            else if (exponent == maxExponent && finiteOnly && mantissa == (1 << mantissaBits) - 1)
            {
                value = float.NaN;
            }
            else
            {
                value = MathF.ScaleB(1 + (mantissa / (float)(1 << mantissaBits)), exponent - bias);
            }

            table[b] = sign * value;
        }

        return table;
    }
}
