using System.Runtime.InteropServices;
using Seamless.Architecture;
using Seamless.Numerics;
using Seamless.Safetensors;

namespace Seamless.Fabrication;

/// <summary>
/// Writes a checkpoint in a real key layout with seeded random values: weights uniform with std 1/√fan_in,
/// biases small, norm scales near 1, <c>position_ids</c> = 0…76 and the DDPM schedule buffers with their real
/// values. Every tensor draws from its own generator (seed, key), so the output does not depend on thread order.
/// Not a usable model: for tests, benchmarks and the quickstart.
/// </summary>
public static class Fabricator
{
    private const int Chunk = 1 << 16;

    public static void Fabricate(ArchitectureManifest manifest, FabricationScale scale, ulong seed, string outputPath, DType? floatType = null, IProgress<double>? progress = null)
    {
        var specs = manifest.Tensors.Select(t =>
        {
            var shape = scale == FabricationScale.Tiny ? TinyShapes.Shrink(t.Name, t.Shape) : t.Shape;
            var dtype = floatType is { } f && t.DType.IsFloat() ? f : t.DType;
            return new TensorSpec(t.Name, dtype, shape);
        }).ToList();
        var metadata = new Dictionary<string, string>
        {
            ["seamless.fabricated"] = $"architecture={manifest.Name} scale={scale.ToString().ToLowerInvariant()} seed={seed}",
            ["description"] = "random weights in a real key layout; not a usable model",
        };
        using var writer = SafetensorsWriter.Create(outputPath, specs, metadata);
        long done = 0;
        var total = specs.Sum(s => s.ByteLength);
        Parallel.For(0, specs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            WriteTensor(writer, i, specs[i], seed);
            progress?.Report((double)Interlocked.Add(ref done, specs[i].ByteLength) / Math.Max(1, total));
        });
        writer.Commit();
    }

    private static void WriteTensor(SafetensorsWriter writer, int index, TensorSpec spec, ulong seed)
    {
        var count = spec.ElementCount;
        if (!spec.DType.IsFloat())
        {
            var ints = new long[count];
            if (spec.Name.EndsWith("position_ids", StringComparison.Ordinal))
            {
                for (var i = 0; i < count; i++)
                {
                    ints[i] = i % (spec.Shape.Count > 0 ? spec.Shape[^1] : 1);
                }
            }

            var bytes = MemoryMarshal.AsBytes(ints.AsSpan()).ToArray();
            writer.Write(index, 0, spec.DType == DType.I64 ? bytes : new byte[spec.ByteLength]);
            return;
        }

        if (DdpmSchedule.TryGet(spec.Name, (int)count, out var schedule))
        {
            WriteFloats(writer, index, spec, schedule);
            return;
        }

        var (center, halfWidth) = Distribution(spec);
        var rng = new SplitMix64(seed ^ Hashing.StableHash.Of(spec.Name));
        var values = new float[Math.Min(Chunk, count)];
        var outBytes = new byte[values.Length * spec.DType.Size()];
        for (long start = 0; start < count; start += Chunk)
        {
            var n = (int)Math.Min(Chunk, count - start);
            for (var i = 0; i < n; i++)
            {
                values[i] = center + (halfWidth * rng.NextSignedUnit());
            }

            TensorConvert.FromSingle(values.AsSpan(0, n), spec.DType, outBytes);
            writer.Write(index, start * spec.DType.Size(), outBytes.AsSpan(0, n * spec.DType.Size()));
        }
    }

    private static void WriteFloats(SafetensorsWriter writer, int index, TensorSpec spec, float[] values)
    {
        var bytes = new byte[spec.ByteLength];
        TensorConvert.FromSingle(values, spec.DType, bytes);
        writer.Write(index, 0, bytes);
    }

    // Uniform on [c − h, c + h] has std h/√3; weights get std 1/√fan_in like the usual initialisers.
    private static (float Center, float HalfWidth) Distribution(TensorSpec spec)
    {
        var name = spec.Name;
        if (name.EndsWith("logit_scale", StringComparison.Ordinal))
        {
            return (MathF.Log(1 / 0.07f), 0);
        }

        var isNorm = name.Contains("norm", StringComparison.Ordinal) || name.Contains("ln_", StringComparison.Ordinal) || name.Contains(".in_layers.0.", StringComparison.Ordinal) || name.Contains(".out_layers.0.", StringComparison.Ordinal) || name.Contains(".out.0.", StringComparison.Ordinal);
        if (spec.Shape.Count <= 1)
        {
            return isNorm && name.EndsWith("weight", StringComparison.Ordinal) ? (1f, 0.17f) : (0f, 0.087f);
        }

        var fanIn = spec.Shape.Skip(1).Aggregate(1L, (a, d) => a * d);
        return (0f, MathF.Sqrt(3f / Math.Max(1, fanIn)));
    }
}
