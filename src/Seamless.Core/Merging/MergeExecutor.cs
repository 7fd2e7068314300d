using System.Buffers;
using System.Collections.Concurrent;
using Seamless.Numerics;
using Seamless.Safetensors;

namespace Seamless.Merging;

/// <summary>
/// Runs a <see cref="MergePlan"/>: tensors in parallel (largest first), each input tensor mapped only while its task
/// runs, the sum computed chunk by chunk in fp32, converted to the output dtype and handed to a sink at its final
/// offset. The file sink makes the output appear under its name only when complete and fsynced; an engine's sink
/// writes the same bytes into its resident weights, so a merge in memory equals the file merge bit for bit.
/// </summary>
public sealed class MergeExecutor(MergeExecutorOptions? options = null)
{
    private readonly MergeExecutorOptions _options = options ?? new MergeExecutorOptions();

    /// <param name="inputs">Open files for <see cref="MergePlan.Inputs"/>, in that order.</param>
    public void Execute(
        MergePlan plan,
        IReadOnlyList<SafetensorsFile> inputs,
        string outputPath,
        IReadOnlyDictionary<string, string> metadata,
        IProgress<MergeProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        using var writer = SafetensorsWriter.Create(outputPath, plan.OutputSpecs, metadata);
        Execute(plan, inputs, new FileSink(writer), progress, cancellationToken);
        writer.Commit();
    }

    /// <summary>Runs <paramref name="plan"/> into <paramref name="sink"/>; nothing else is written.</summary>
    public void Execute(
        MergePlan plan,
        IReadOnlyList<SafetensorsFile> inputs,
        ITensorSink sink,
        IProgress<MergeProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(sink);
        long bytesDone = 0;
        var tensorsDone = 0;
        var total = plan.OutputBytes;
        var order = plan.Tensors.OrderByDescending(t => t.Output.ByteLength).ToList();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.EffectiveThreads, CancellationToken = cancellationToken };
        Parallel.ForEach(Partitioner.Create(order, EnumerablePartitionerOptions.NoBuffering), parallel, task =>
        {
            Run(task, inputs, sink, cancellationToken);
            var done = Interlocked.Add(ref bytesDone, task.Output.ByteLength);
            var count = Interlocked.Increment(ref tensorsDone);
            progress?.Report(new MergeProgress(done, total, count, order.Count));
        });
    }

    private void Run(PlannedTensor task, IReadOnlyList<SafetensorsFile> inputs, ITensorSink sink, CancellationToken cancellationToken)
    {
        if (task.RawCopy)
        {
            var source = task.Sources[0];
            using var view = inputs[source.Input].OpenTensor(source.Tensor);
            sink.Write(task, 0, view.Bytes);
            return;
        }

        var views = new TensorView[task.Sources.Count];
        var chunk = _options.ChunkElements;
        var outSize = task.Output.DType.Size();
        var accumulator = ArrayPool<float>.Shared.Rent(chunk);
        var scratch = ArrayPool<float>.Shared.Rent(chunk);
        var output = ArrayPool<byte>.Shared.Rent(chunk * outSize);
        try
        {
            for (var i = 0; i < views.Length; i++)
            {
                views[i] = inputs[task.Sources[i].Input].OpenTensor(task.Sources[i].Tensor);
            }

            var elements = task.Output.ElementCount;
            for (long start = 0; start < elements; start += chunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var n = (int)Math.Min(chunk, elements - start);
                var acc = accumulator.AsSpan(0, n);
                if (views.Length == 0)
                {
                    acc.Clear();
                }

                for (var i = 0; i < views.Length; i++)
                {
                    var dtype = task.Sources[i].Tensor.DType;
                    var size = dtype.Size();
                    var bytes = views[i].Bytes.Slice((int)(start * size), n * size);
                    if (i == 0)
                    {
                        TensorConvert.ToSingle(bytes, dtype, acc);
                        LinearCombination.Start(acc, task.Sources[i].Coefficient, acc);
                    }
                    else
                    {
                        TensorConvert.ToSingle(bytes, dtype, scratch.AsSpan(0, n));
                        LinearCombination.Accumulate(scratch.AsSpan(0, n), task.Sources[i].Coefficient, acc);
                    }
                }

                var outBytes = output.AsSpan(0, n * outSize);
                TensorConvert.FromSingle(acc, task.Output.DType, outBytes);
                sink.Write(task, start * outSize, outBytes);
            }
        }
        finally
        {
            foreach (var view in views)
            {
                view?.Dispose();
            }

            ArrayPool<float>.Shared.Return(accumulator);
            ArrayPool<float>.Shared.Return(scratch);
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    private sealed class FileSink(SafetensorsWriter writer) : ITensorSink
    {
        public void Write(PlannedTensor task, long byteOffset, ReadOnlySpan<byte> bytes) => writer.Write(task.Index, byteOffset, bytes);
    }
}
