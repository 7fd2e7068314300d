using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Images;
using Seamless.Evaluation.Tagging;
using Seamless.Evaluation.Tags;

namespace Seamless.Tagging.Onnx;

/// <summary>
/// A tagger run in-process by ONNX Runtime. Input and output names, the input size and the batch limit are read
/// from the model's metadata; the label count must match the output width. Within one call, batch k+1 is
/// preprocessed on the thread pool while batch k runs.
/// </summary>
public sealed class OnnxTagger : IImageTagger
{
    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly int _batchLimit;
    private volatile bool _disposed;

    private OnnxTagger(TaggerSpec spec, TaggerLabels labels, InferenceSession session, string input, string output, int size, int batchLimit)
    {
        Spec = spec;
        Labels = labels;
        _session = session;
        _inputName = input;
        _outputName = output;
        InputSize = size;
        _batchLimit = batchLimit;
    }

    public TaggerSpec Spec { get; }

    public TaggerLabels Labels { get; }

    /// <summary>Side of the square input, from the model (or the spec when the model leaves it open).</summary>
    public int InputSize { get; }

    public static OnnxTagger Open(TaggerSpec spec, OnnxTaggerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new OnnxTaggerOptions();
        var labels = TaggerLabels.Load(spec.LabelsPath);
        if (!File.Exists(spec.ModelPath))
        {
            throw new EvaluationException(spec.ModelPath, EvaluationError.TaggerInvalid, "tagger model not found");
        }

        var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };

        // Idle intra-op threads sleep instead of spinning, so the next batch's preprocessing gets a core.
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        if (options.IntraOpThreads > 0)
        {
            sessionOptions.IntraOpNumThreads = options.IntraOpThreads;
        }

        InferenceSession session;
        try
        {
            if (options.UseCuda)
            {
                try
                {
                    sessionOptions.AppendExecutionProvider_CUDA(options.CudaDevice);
                }
                catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
                {
                    throw new EvaluationException(spec.ModelPath, EvaluationError.TaggerInvalid,
                        $"CUDA was asked for but this ONNX Runtime has no CUDA provider ({ex.Message.Split('\n')[0]}); build with -p:SeamlessOnnxGpu=true (CUDA 12 and cuDNN 9 installed) or drop --tagger-cuda", ex);
                }
            }

            session = new InferenceSession(spec.ModelPath, sessionOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new EvaluationException(spec.ModelPath, EvaluationError.TaggerInvalid, $"ONNX Runtime cannot load the model: {ex.Message.Split('\n')[0]}", ex);
        }
        finally
        {
            sessionOptions.Dispose();
        }

        try
        {
            return Bind(spec, labels, session, options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static OnnxTagger Bind(TaggerSpec spec, TaggerLabels labels, InferenceSession session, OnnxTaggerOptions options)
    {
        var input = spec.InputName ?? (session.InputMetadata.Count == 1 ? session.InputMetadata.Keys.First()
            : throw new EvaluationException(spec.ModelPath, EvaluationError.TaggerInvalid, $"the model has {session.InputMetadata.Count} inputs ({string.Join(", ", session.InputMetadata.Keys)}); name one with input_name in a tagger spec"));
        if (!session.InputMetadata.TryGetValue(input, out var inMeta))
        {
            throw new EvaluationException(spec.ModelPath, EvaluationError.TaggerInvalid, $"no input named '{input}' (has {string.Join(", ", session.InputMetadata.Keys)})");
        }

        var output = spec.OutputName ?? session.OutputMetadata.Keys.First();
        if (!session.OutputMetadata.TryGetValue(output, out var outMeta))
        {
            throw new EvaluationException(spec.ModelPath, EvaluationError.TaggerInvalid, $"no output named '{output}' (has {string.Join(", ", session.OutputMetadata.Keys)})");
        }

        var dims = inMeta.Dimensions;
        if (inMeta.ElementType != typeof(float) || dims.Length != 4)
        {
            throw new EvaluationException(spec.ModelPath, EvaluationError.TaggerInvalid, $"input '{input}' is {inMeta.ElementType.Name}[{string.Join(",", dims)}], expected a float32 image batch of rank 4");
        }

        var (channels, h, w) = spec.Layout == TensorLayout.Nhwc ? (dims[3], dims[1], dims[2]) : (dims[1], dims[2], dims[3]);
        if (channels != 3)
        {
            var hint = dims[1] == 3 ? " (the model looks NCHW: set layout nchw)" : dims[3] == 3 ? " (the model looks NHWC: set layout nhwc)" : "";
            throw new EvaluationException(spec.ModelPath, EvaluationError.TaggerInvalid, $"input '{input}' [{string.Join(",", dims)}] has no 3-channel axis where layout {spec.Layout.ToString().ToLowerInvariant()} puts it{hint}");
        }

        if (h > 0 && w > 0 && h != w)
        {
            throw new EvaluationException(spec.ModelPath, EvaluationError.TaggerInvalid, $"input '{input}' is {h}×{w}; only square inputs are supported");
        }

        var size = h > 0 ? h : spec.Size ?? throw new EvaluationException(spec.ModelPath, EvaluationError.TaggerInvalid, "the model leaves the input size open; give size in a tagger spec");
        var outDims = outMeta.Dimensions;
        var width = outDims.Length > 0 ? outDims[^1] : -1;
        if (width > 0 && width != labels.Count)
        {
            throw new EvaluationException(spec.LabelsPath, EvaluationError.TaggerInvalid, $"{labels.Count} labels but the model '{Path.GetFileName(spec.ModelPath)}' outputs {width} scores; wrong label file for this model?");
        }

        var batchLimit = dims[0] > 0 ? dims[0] : Math.Max(1, options.BatchSize);
        return new OnnxTagger(spec, labels, session, input, output, size, Math.Min(batchLimit, Math.Max(1, options.BatchSize)));
    }

    public async Task<IReadOnlyList<float[]>> TagAsync(IReadOnlyList<RgbaImage> images, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        var results = new List<float[]>(images.Count);
        if (images.Count == 0)
        {
            return results;
        }

        var batches = new List<(int Start, int Count)>();
        for (var s = 0; s < images.Count; s += _batchLimit)
        {
            batches.Add((s, Math.Min(_batchLimit, images.Count - s)));
        }

        // Two input buffers, reused: batch k+1 is written into one while batch k runs from the other.
        var slot = InputSize * InputSize * 3;
        var buffers = new[] { new float[_batchLimit * slot], batches.Count > 1 ? new float[_batchLimit * slot] : [] };
        var next = Task.Run(() => PrepareInto(images, batches[0], buffers[0]), cancellationToken);
        for (var b = 0; b < batches.Count; b++)
        {
            var input = await next.ConfigureAwait(false);
            if (b + 1 < batches.Count)
            {
                var following = batches[b + 1];
                var buffer = buffers[(b + 1) % 2];
                next = Task.Run(() => PrepareInto(images, following, buffer), cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            results.AddRange(Run(input, batches[b].Count));
        }

        return results;
    }

    /// <summary>Preprocesses images into a new input tensor (public for the throughput benchmark).</summary>
    public DenseTensor<float> Prepare(IReadOnlyList<RgbaImage> images, (int Start, int Count) batch) =>
        PrepareInto(images, batch, new float[batch.Count * InputSize * InputSize * 3]);

    private DenseTensor<float> PrepareInto(IReadOnlyList<RgbaImage> images, (int Start, int Count) batch, float[] buffer)
    {
        ArgumentNullException.ThrowIfNull(images);
        var slot = InputSize * InputSize * 3;
        var shape = Spec.Layout == TensorLayout.Nhwc ? new[] { batch.Count, InputSize, InputSize, 3 } : new[] { batch.Count, 3, InputSize, InputSize };
        for (var i = 0; i < batch.Count; i++)
        {
            var prepared = TaggerPreprocessor.Prepare(images[batch.Start + i], Spec, InputSize);
            TaggerPreprocessor.Write(prepared, Spec, buffer.AsSpan(i * slot, slot));
        }

        return new DenseTensor<float>(buffer.AsMemory(0, batch.Count * slot), shape);
    }

    /// <summary>Runs one prepared batch and returns probabilities (sigmoid applied when the model gives logits).</summary>
    public IReadOnlyList<float[]> Run(DenseTensor<float> input, int count)
    {
        ArgumentNullException.ThrowIfNull(input);

        // ONNX Runtime answers a disposed session with a NullReferenceException; name the mistake instead.
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var outputs = _session.Run([NamedOnnxValue.CreateFromTensor(_inputName, input)], [_outputName]);
        var tensor = outputs[0].AsTensor<float>();
        var total = (int)tensor.Length;
        if (total != count * Labels.Count)
        {
            throw new EvaluationException(Spec.ModelPath, EvaluationError.TaggerInvalid, $"output has {total} values for {count} images × {Labels.Count} labels");
        }

        var flat = tensor is DenseTensor<float> dense ? dense.Buffer.Span : tensor.ToArray();
        var result = new float[count][];
        for (var i = 0; i < count; i++)
        {
            var row = flat.Slice(i * Labels.Count, Labels.Count).ToArray();
            if (Spec.Logits)
            {
                for (var k = 0; k < row.Length; k++)
                {
                    row[k] = 1f / (1f + MathF.Exp(-row[k]));
                }
            }

            result[i] = row;
        }

        return result;
    }

    public void Dispose()
    {
        _disposed = true;
        _session.Dispose();
    }
}
