using TorchSharp;
using static TorchSharp.torch;

namespace Seamless.Engine.Torch.Runtime;

/// <summary>
/// Tensor arithmetic whose scalars are owned until libtorch has used them. TorchSharp 0.107 turns a number (and the
/// implicit <c>alpha = 1</c> of <c>Tensor + Tensor</c>) into a <see cref="Scalar"/> that nothing references once its
/// native handle has been read: its finaliser can free the native scalar while the native call still reads it, which
/// surfaced as libtorch's "Expected false to be true" in <c>c10::Scalar::toFloat</c> under <c>add_Tensor</c>, once in
/// about ten test runs. Every scalar the engine passes comes from here: a process-lifetime constant, or one disposed
/// after the call returns (the <c>using</c> keeps it reachable until then). <c>ScalarArithmeticTests</c> pins that the
/// engine calls none of TorchSharp's number operators, <c>Tensor.add(Tensor)</c> or the implicit conversion.
/// </summary>
public static class ScalarArithmetic
{
    /// <summary>Held by a static field: reachable for the life of the process, so never finalised mid-call.</summary>
    private static readonly Scalar One = 1.ToScalar();

    /// <summary><paramref name="a"/> + <paramref name="b"/> (what <c>a + b</c> computes).</summary>
    public static Tensor Plus(this Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.add(b, One);
    }

    public static Tensor Plus(this Tensor a, double b)
    {
        ArgumentNullException.ThrowIfNull(a);
        using var s = b.ToScalar();
        return a.add(s, One);
    }

    public static Tensor Minus(this Tensor a, double b)
    {
        ArgumentNullException.ThrowIfNull(a);
        using var s = b.ToScalar();
        return a.sub(s);
    }

    public static Tensor Times(this Tensor a, double b)
    {
        ArgumentNullException.ThrowIfNull(a);
        using var s = b.ToScalar();
        return a.mul(s);
    }

    public static Tensor DividedBy(this Tensor a, double b)
    {
        ArgumentNullException.ThrowIfNull(a);
        using var s = b.ToScalar();
        return a.div(s);
    }

    public static Tensor Clamped(this Tensor a, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(a);
        using var lo = min.ToScalar();
        using var hi = max.ToScalar();
        return a.clamp(lo, hi);
    }

    /// <summary>0, 1, …, <paramref name="stop"/> − 1 (<c>torch.arange(stop)</c>).</summary>
    public static Tensor Range(long stop, ScalarType? dtype = null, Device? device = null)
    {
        // arange(stop) would make its own start and step scalars.
        using var start = 0L.ToScalar();
        using var end = stop.ToScalar();
        using var step = 1L.ToScalar();
        return arange(start, end, step, dtype: dtype, device: device);
    }

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/> (<c>torch.full</c>).</summary>
    public static Tensor Filled(long[] shape, double value, ScalarType? dtype = null, Device? device = null)
    {
        using var s = value.ToScalar();
        return full(shape, s, dtype: dtype, device: device);
    }
}
