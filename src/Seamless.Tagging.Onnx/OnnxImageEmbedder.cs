using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Seamless.Evaluation.Diversity;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Images;

namespace Seamless.Tagging.Onnx;

/// <summary>
/// An image encoder run in-process by ONNX Runtime: a float32 NCHW input of crop² pixels, and the output named
/// <c>image_embeds</c> (CLIP's projected embedding) or else the model's only rank-2 output.
/// </summary>
public sealed class OnnxImageEmbedder : IImageEmbedder
{
    private const string ProjectedOutput = "image_embeds";
    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly int _batchLimit;

    private OnnxImageEmbedder(EncoderSpec spec, InferenceSession session, string input, string output, int batchLimit)
    {
        Spec = spec;
        _session = session;
        _inputName = input;
        _outputName = output;
        _batchLimit = batchLimit;
    }

    public EncoderSpec Spec { get; }

    public static OnnxImageEmbedder Open(EncoderSpec spec, OnnxTaggerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new OnnxTaggerOptions();
        if (!File.Exists(spec.ModelPath))
        {
            throw new EvaluationException(spec.ModelPath, EvaluationError.EncoderInvalid, "image encoder model not found");
        }

        using var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
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
                sessionOptions.AppendExecutionProvider_CUDA(options.CudaDevice);
            }

            session = new InferenceSession(spec.ModelPath, sessionOptions);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            throw new EvaluationException(spec.ModelPath, EvaluationError.EncoderInvalid, $"ONNX Runtime cannot load the image encoder: {ex.Message.Split('\n')[0]}", ex);
        }

        try
        {
            return Bind(spec, session, options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static OnnxImageEmbedder Bind(EncoderSpec spec, InferenceSession session, OnnxTaggerOptions options)
    {
        var inputs = session.InputMetadata.Where(kv => kv.Value.ElementType == typeof(float) && kv.Value.Dimensions.Length == 4).ToList();
        if (inputs.Count != 1)
        {
            throw new EvaluationException(spec.ModelPath, EvaluationError.EncoderInvalid,
                $"expected one float32 image input of rank 4, found {string.Join(", ", session.InputMetadata.Select(kv => $"{kv.Key} {kv.Value.ElementType.Name}[{string.Join(",", kv.Value.Dimensions)}]"))}");
        }

        var (input, meta) = (inputs[0].Key, inputs[0].Value);
        var dims = meta.Dimensions;
        if (dims[1] is > 0 and not 3 || (dims[2] > 0 && dims[2] != spec.CropSize) || (dims[3] > 0 && dims[3] != spec.CropSize))
        {
            throw new EvaluationException(spec.ModelPath, EvaluationError.EncoderInvalid,
                $"input '{input}' is [{string.Join(",", dims)}], expected [N,3,{spec.CropSize},{spec.CropSize}] for the preprocessing's {spec.CropSize}² crop");
        }

        var output = session.OutputMetadata.ContainsKey(ProjectedOutput) ? ProjectedOutput
            : session.OutputMetadata.Where(kv => kv.Value.Dimensions.Length == 2).Select(kv => kv.Key).ToList() is [var only] ? only
            : throw new EvaluationException(spec.ModelPath, EvaluationError.EncoderInvalid,
                $"no '{ProjectedOutput}' output and not exactly one rank-2 output (has {string.Join(", ", session.OutputMetadata.Keys)}); is this an image encoder?");
        var batchLimit = dims[0] > 0 ? Math.Min(dims[0], Math.Max(1, options.BatchSize)) : Math.Max(1, options.BatchSize);
        return new OnnxImageEmbedder(spec, session, input, output, batchLimit);
    }

    public Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<RgbaImage> images, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        var results = new List<float[]>(images.Count);
        var slot = 3 * Spec.CropSize * Spec.CropSize;
        for (var start = 0; start < images.Count; start += _batchLimit)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(_batchLimit, images.Count - start);
            var buffer = new float[count * slot];
            for (var i = 0; i < count; i++)
            {
                ClipPreprocessor.Write(ClipPreprocessor.Prepare(images[start + i], Spec), Spec, buffer.AsSpan(i * slot, slot));
            }

            results.AddRange(Run(buffer, count));
        }

        return Task.FromResult<IReadOnlyList<float[]>>(results);
    }

    /// <summary>Runs preprocessed inputs (<paramref name="count"/> NCHW slots of 3 · crop²) and returns one embedding each.</summary>
    public IReadOnlyList<float[]> Run(float[] inputs, int count)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var tensor = new DenseTensor<float>(inputs, [count, 3, Spec.CropSize, Spec.CropSize]);
        using var outputs = _session.Run([NamedOnnxValue.CreateFromTensor(_inputName, tensor)], [_outputName]);
        var result = outputs[0].AsTensor<float>();
        if (result.Dimensions.Length != 2 || result.Dimensions[0] != count)
        {
            throw new EvaluationException(Spec.ModelPath, EvaluationError.EncoderInvalid, $"output '{_outputName}' is [{string.Join(",", result.Dimensions.ToArray())}] for {count} images");
        }

        var width = result.Dimensions[1];
        var flat = result.ToArray();
        var embeddings = new float[count][];
        for (var i = 0; i < count; i++)
        {
            embeddings[i] = flat.AsSpan(i * width, width).ToArray();
        }

        return embeddings;
    }

    public void Dispose() => _session.Dispose();
}
