using System.Reflection;
using System.Reflection.Emit;
using Seamless.Engine.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Seamless.Tests.Runtime;

/// <summary>
/// The race itself (a finaliser freeing a native scalar mid-call) shows once in many runs, so the guard is static: the
/// engine's IL, walked call by call, never reaches a TorchSharp method that makes a scalar it does not own.
/// </summary>
public sealed class ScalarArithmeticTests
{
    private static readonly Assembly TorchSharpAssembly = typeof(Scalar).Assembly;

    [Fact]
    public void EngineAssemblies_EveryScalarOwned_NoCallMakesOne()
    {
        var offenders = new[] { typeof(ScalarArithmetic).Assembly, typeof(Seamless.Backends.Embedded.EmbeddedGenerator).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).Cast<MethodBase>()
                .Concat(t.GetConstructors(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)))
            .SelectMany(UnownedScalarCalls)
            .ToList();
        Assert.True(offenders.Count == 0, "TorchSharp makes scalars nobody owns here (use ScalarArithmetic): " + string.Join("; ", offenders));
    }

    [Fact]
    public void UnownedScalarCalls_TensorPlusTensorAndTimesNumber_Found()
    {
        // The walker itself: the two shapes of the crash, written as the engine used to write them.
        var method = typeof(ScalarArithmeticTests).GetMethod(nameof(OldStyle), BindingFlags.NonPublic | BindingFlags.Static)!;
        var found = UnownedScalarCalls(method).ToList();
        Assert.Contains(found, f => f.Contains("op_Addition", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Contains("op_Multiply", StringComparison.Ordinal));
        Assert.Empty(UnownedScalarCalls(typeof(ScalarArithmetic).GetMethod(nameof(ScalarArithmetic.Times))!));
    }

    [Fact]
    public void Arithmetic_SmallTensors_SameAsTheOperators()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { -2.5f, 0f, 1.5f, 40f });
        var b = tensor(new float[] { 1f, 2f, -3f, 0.5f });
        Assert.Equal(new float[] { -1.5f, 2f, -1.5f, 40.5f }, a.Plus(b).data<float>().ToArray());
        Assert.Equal(new float[] { -1.5f, 1f, 2.5f, 41f }, a.Plus(1).data<float>().ToArray());
        Assert.Equal(new float[] { -3.5f, -1f, 0.5f, 39f }, a.Minus(1).data<float>().ToArray());
        Assert.Equal(new float[] { -5f, 0f, 3f, 80f }, a.Times(2).data<float>().ToArray());
        Assert.Equal(new float[] { -1.25f, 0f, 0.75f, 20f }, a.DividedBy(2).data<float>().ToArray());
        Assert.Equal(new float[] { -1f, 0f, 1f, 1f }, a.Clamped(-1, 1).data<float>().ToArray());
        var range = ScalarArithmetic.Range(4);
        Assert.Equal(ScalarType.Int64, range.dtype);
        Assert.Equal(new long[] { 0, 1, 2, 3 }, range.data<long>().ToArray());
        Assert.Equal(ScalarType.Float32, ScalarArithmetic.Range(3, ScalarType.Float32).dtype);
        var filled = ScalarArithmetic.Filled([2, 3], double.NegativeInfinity, ScalarType.Float32);
        Assert.Equal([2L, 3L], filled.shape);
        Assert.All(filled.data<float>().ToArray(), v => Assert.Equal(float.NegativeInfinity, v));
    }

    private static Tensor OldStyle(Tensor a, Tensor b) => (a + b) * 0.5;

    /// <summary>
    /// Calls from <paramref name="method"/> into TorchSharp that make a scalar (directly or within a few calls inside
    /// TorchSharp). <see cref="ScalarArithmetic"/> may call <c>ToScalar</c> itself: it owns what it makes.
    /// </summary>
    private static IEnumerable<string> UnownedScalarCalls(MethodBase method)
    {
        var mayOwn = method.DeclaringType == typeof(ScalarArithmetic);
        foreach (var callee in Callees(method))
        {
            if (callee.Module.Assembly != TorchSharpAssembly || (mayOwn && IsScalarFactory(callee)))
            {
                continue;
            }

            if (MakesScalar(callee, 0, []))
            {
                yield return $"{method.DeclaringType?.Name}.{method.Name} → {callee.DeclaringType?.Name}.{callee.Name}({string.Join(", ", callee.GetParameters().Select(p => p.ParameterType.Name))})";
            }
        }
    }

    private static bool IsScalarFactory(MethodBase m) =>
        (m.DeclaringType == typeof(Scalar) && m.Name == "op_Implicit") || m.DeclaringType == typeof(ScalarExtensionMethods);

    private static bool MakesScalar(MethodBase m, int depth, HashSet<MethodBase> seen)
    {
        if (IsScalarFactory(m))
        {
            return true;
        }

        if (m.Module.Assembly != TorchSharpAssembly || depth > 4 || !seen.Add(m))
        {
            return false;
        }

        return Callees(m).Any(c => MakesScalar(c, depth + 1, seen));
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The methods <paramref name="method"/>'s IL calls or constructs (an opcode walk, operands skipped by size).</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is InvalidOperationException or BadImageFormatException or NotSupportedException)
        {
            il = null;
        }

        if (il is null)
        {
            yield break;
        }

        var typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var i = 0;
        while (i < il.Length)
        {
            var value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            var op = OpCodesByValue[value];
            i += op.Size;
            if (op.OperandType == OperandType.InlineMethod)
            {
                MethodBase? callee;
                try
                {
                    callee = method.Module.ResolveMethod(BitConverter.ToInt32(il, i), typeArgs, methodArgs);
                }
                catch (ArgumentException)
                {
                    callee = null;
                }

                if (callee is not null)
                {
                    yield return callee;
                }
            }

            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                _ => 4,
            };
        }
    }
}
