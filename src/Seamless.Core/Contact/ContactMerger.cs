using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text.Json.Nodes;
using Seamless.Errors;
using Seamless.Hashing;
using Seamless.Merging;
using Seamless.Numerics;
using Seamless.Safetensors;

namespace Seamless.Contact;

/// <summary>
/// The original system's contact merge (接触融合): for every float tensor in both A and B with the same shape,
/// D = B − A in fp32; tensors of rank ≥ 2 replace D by its best rank-r approximation (convolutions flattened to
/// out × in·kh·kw); 1-D tensors keep the whole difference, so they come from B. Output A + D. Keys only A has,
/// and non-float tensors, come from A.
/// </summary>
public sealed class ContactMerger(FileHasher? hasher = null, int threads = 0)
{
    public const string MetadataKey = "seamless.contact";
    private readonly FileHasher _hasher = hasher ?? new FileHasher();

    public TimeSpan Merge(ContactRequest request, string outputPath, IProgress<MergeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var output = Path.GetFullPath(outputPath);
        if (new[] { request.ModelA, request.ModelB }.Any(p => string.Equals(Path.GetFullPath(p), output, StringComparison.Ordinal)))
        {
            throw new RecipeException(outputPath, "the output would replace an input model; choose another output path");
        }

        if (!request.OutputDType.IsWritableFloat())
        {
            throw new RecipeException(null, $"output dtype {request.OutputDType} cannot be written; use fp16, bf16 or fp32");
        }

        var files = CheckpointMerger.OpenAll([request.ModelA, request.ModelB]);
        using var a = files[0];
        using var b = files[1];
        var architecture = CheckpointMerger.CommonArchitecture(files);
        var mismatched = a.Tensors.Where(t => b.TryGet(t.Name, out var u) && t.DType.IsFloat() && !t.SameShape(u)).ToList();
        if (mismatched.Count > 0)
        {
            var t = mismatched[0];
            throw new CheckpointException(null, CheckpointError.ShapeMismatch,
                $"{mismatched.Count} tensor(s) differ in shape, e.g. '{t.Name}' is {t.ShapeText} in {Path.GetFileName(a.Path)} but {b[t.Name].ShapeText} in {Path.GetFileName(b.Path)}");
        }

        var specs = a.Tensors.Select(t => new TensorSpec(t.Name, t.DType.IsFloat() ? request.OutputDType : t.DType, t.Shape)).ToList();
        var metadata = BuildMetadata(request, architecture.ToString(), _hasher.Hash(a.Path), _hasher.Hash(b.Path));
        using var writer = SafetensorsWriter.Create(output, specs, metadata);
        var order = Enumerable.Range(0, specs.Count).OrderByDescending(i => specs[i].ByteLength).ToList();
        long done = 0;
        var count = 0;
        var total = specs.Sum(s => s.ByteLength);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount, CancellationToken = cancellationToken };

        // Parallelism is across tensors; MathNet's own threading would only oversubscribe the cores.
        var previous = MathNet.Numerics.Control.MaxDegreeOfParallelism;
        MathNet.Numerics.Control.UseSingleThread();
        try
        {
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(order, System.Collections.Concurrent.EnumerablePartitionerOptions.NoBuffering), parallel, i =>
            {
                var t = a[specs[i].Name];
                WriteTensor(a, b, t, specs[i], i, request.LowRank, writer);
                var d = Interlocked.Add(ref done, specs[i].ByteLength);
                progress?.Report(new MergeProgress(d, total, Interlocked.Increment(ref count), specs.Count));
            });
        }
        finally
        {
            MathNet.Numerics.Control.MaxDegreeOfParallelism = previous;
        }

        writer.Commit();
        return clock.Elapsed;
    }

    private static void WriteTensor(SafetensorsFile a, SafetensorsFile b, TensorInfo ta, TensorSpec spec, int index, LowRankOptions options, SafetensorsWriter writer)
    {
        using var viewA = a.OpenTensor(ta);
        if (!ta.DType.IsFloat() || !b.TryGet(ta.Name, out var tb) || !tb.DType.IsFloat())
        {
            if (ta.DType == spec.DType)
            {
                writer.Write(index, 0, viewA.Bytes);
            }
            else
            {
                var converted = new float[ta.ElementCount];
                TensorConvert.ToSingle(viewA.Bytes, ta.DType, converted);
                WriteFloats(writer, index, spec, converted);
            }

            return;
        }

        using var viewB = b.OpenTensor(tb);
        var av = new float[ta.ElementCount];
        var dv = new float[ta.ElementCount];
        TensorConvert.ToSingle(viewA.Bytes, ta.DType, av);
        TensorConvert.ToSingle(viewB.Bytes, tb.DType, dv);
        TensorPrimitives.Subtract(dv, av, dv);
        if (ta.Rank >= 2 && av.Length > 0)
        {
            var rows = (int)ta.Shape[0];
            var columns = (int)(ta.ElementCount / rows);
            dv = LowRank.Approximate(dv, rows, columns, options with { Seed = options.Seed ^ (ulong)StableHash(ta.Name) });
        }

        TensorPrimitives.Add(av, dv, av);
        WriteFloats(writer, index, spec, av);
    }

    private static void WriteFloats(SafetensorsWriter writer, int index, TensorSpec spec, float[] values)
    {
        var bytes = new byte[spec.ByteLength];
        TensorConvert.FromSingle(values, spec.DType, bytes);
        writer.Write(index, 0, bytes);
    }

    private static Dictionary<string, string> BuildMetadata(ContactRequest request, string architecture, FileHash hashA, FileHash hashB)
    {
        var contact = new JsonObject
        {
            ["tool"] = $"seamless {MergeMetadata.ToolVersion}",
            ["operation"] = "contact",
            ["formula"] = "A + lowrank_r(B − A) for tensors of rank ≥ 2; B for 1-D tensors",
            ["architecture"] = architecture,
            ["a"] = new JsonObject { ["name"] = Path.GetFileName(request.ModelA), ["sha256"] = hashA.Sha256 },
            ["b"] = new JsonObject { ["name"] = Path.GetFileName(request.ModelB), ["sha256"] = hashB.Sha256 },
            ["rank"] = request.LowRank.Rank,
            ["method"] = request.LowRank.Method.ToString().ToLowerInvariant(),
            ["oversample"] = request.LowRank.Oversample,
            ["power_iterations"] = request.LowRank.PowerIterations,
            ["seed"] = request.LowRank.Seed,
            ["output_dtype"] = request.OutputDType.HeaderName(),
        };
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [MetadataKey] = contact.ToJsonString(),
            ["format"] = "pt",
        };
    }

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
