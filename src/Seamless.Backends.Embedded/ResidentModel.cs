using System.Globalization;
using Seamless.Architecture;
using Seamless.Engine.Compute;
using Seamless.Engine.Torch.Pipeline;
using Seamless.Merging;
using Seamless.Safetensors;

namespace Seamless.Backends.Embedded;

/// <summary>
/// The engine's one set of resident weights and how they got there. A recipe is applied in memory: the inputs stay
/// mapped (the OS keeps them in the page cache between trials), the file merge's own planner and executor compute
/// each tensor, and only tensors whose sources or coefficients changed since the last recipe are recomputed (fixed
/// blocks, the VAE and unchanged text encoders cost nothing after the first trial). A candidate file is loaded whole.
/// Not thread-safe: <see cref="EmbeddedGenerator"/> lets one session at a time use it.
/// </summary>
internal sealed class ResidentModel(MergeExecutorOptions? executorOptions = null, DeviceSpec? device = null) : IDisposable
{
    private readonly Dictionary<string, SafetensorsFile> _inputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _applied = new(StringComparer.Ordinal);

    public DiffusionPipeline? Pipeline { get; private set; }

    /// <summary>Tensors recomputed by the last <see cref="Apply"/>, and how many the engine holds.</summary>
    public (int Recomputed, int Total) LastApply { get; private set; }

    public void Apply(MergeRecipe recipe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var files = Open(recipe.InputPaths);
        var architecture = CheckpointMerger.CommonArchitecture(files);
        Supported(architecture, recipe.BasePath);
        var plan = MergePlanner.Plan(recipe, files.Select(f => f.Header).ToList(), architecture);
        if (Pipeline is null || !ShapesMatch(Pipeline, plan))
        {
            Replace(LoadPipeline(files[0], architecture));
        }

        var weights = Pipeline!.Weights.Tensors;
        var signatures = new Dictionary<string, string>(StringComparer.Ordinal);
        var tasks = new List<PlannedTensor>();
        foreach (var task in plan.Tensors.Where(t => weights.ContainsKey(t.Output.Name) && t.Output.DType.IsFloat()))
        {
            var signature = Signature(task, recipe.InputPaths);
            signatures[task.Output.Name] = signature;
            if (!_applied.TryGetValue(task.Output.Name, out var current) || current != signature)
            {
                tasks.Add(task);
            }
        }
        try
        {
            new MergeExecutor(executorOptions).Execute(plan with { Tensors = tasks }, files, new WeightSink(weights), null, cancellationToken);
        }
        catch
        {
            // Some tensors may hold the new values and some the old: nothing is known to be applied any more.
            _applied.Clear();
            throw;
        }

        foreach (var (key, signature) in signatures)
        {
            _applied[key] = signature;
        }

        LastApply = (tasks.Count, signatures.Count);
    }

    public void Load(string path)
    {
        using var file = SafetensorsFile.Open(path);
        var architecture = ArchitectureDetector.Detect(file);
        Supported(architecture, path);
        Replace(LoadPipeline(file, architecture));
    }

    /// <summary>The key prefix of the VAE in a checkpoint (CompVis layout); separate VAE files often omit it.</summary>
    private const string VaePrefix = "first_stage_model.";

    /// <summary>
    /// Decodes with a separate VAE file (as A1111's <c>sd_vae</c>): every resident <c>first_stage_model.*</c> tensor is
    /// overwritten from the file, whose keys may carry the prefix or not. The tensors' signatures then name the file,
    /// so the next recipe without it restores the checkpoint's own VAE and the next with it recomputes nothing else.
    /// </summary>
    public void UseVae(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var pipeline = Pipeline ?? throw new InvalidOperationException("no candidate is active");
        if (!path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            throw new Evaluation.Errors.EvaluationException(path, Evaluation.Errors.EvaluationError.ProtocolInvalid, "the embedded engine reads VAEs as .safetensors (a .pt/.ckpt is a pickle it will not execute); convert it, or use a web backend");
        }

        using var file = SafetensorsFile.Open(path);
        var signature = "vae|" + Path.GetFullPath(path);
        foreach (var (key, target) in pipeline.Weights.Tensors.Where(kv => kv.Key.StartsWith(VaePrefix, StringComparison.Ordinal)))
        {
            if (_applied.TryGetValue(key, out var current) && current == signature)
            {
                continue;
            }

            if (!file.TryGet(key, out var info) && !file.TryGet(key[VaePrefix.Length..], out info))
            {
                throw new Evaluation.Errors.EvaluationException(path, Evaluation.Errors.EvaluationError.ProtocolInvalid, $"has no '{key[VaePrefix.Length..]}' (with or without {VaePrefix}); is it a VAE for this model?");
            }

            if (!info.Shape.SequenceEqual(target.shape) || !info.DType.IsFloat())
            {
                throw new Evaluation.Errors.EvaluationException(path, Evaluation.Errors.EvaluationError.ProtocolInvalid, $"'{info.Name}' is {info.DType}[{string.Join(",", info.Shape)}], the model's is [{string.Join(",", target.shape)}]; a VAE for another architecture?");
            }

            var values = new float[info.ElementCount];
            Seamless.Numerics.TensorConvert.ToSingle(file.ReadAll(info), info.DType, values);
            using var host = TorchSharp.torch.tensor(values).view(target.shape);
            using (TorchSharp.torch.no_grad())
            {
                target.copy_(host);
            }

            _applied[key] = signature;
        }
    }

    private DiffusionPipeline LoadPipeline(SafetensorsFile file, ModelArchitecture architecture) =>
        architecture == ModelArchitecture.SDXL ? SdxlPipeline.Load(file, device: device) : Sd1Pipeline.Load(file, device: device);

    private void Replace(DiffusionPipeline pipeline)
    {
        Pipeline?.Dispose();
        Pipeline = pipeline;
        _applied.Clear();
    }

    private static void Supported(ModelArchitecture architecture, string path)
    {
        if (architecture is not (ModelArchitecture.SD1 or ModelArchitecture.SDXL))
        {
            throw new Evaluation.Errors.EvaluationException(path, Evaluation.Errors.EvaluationError.ProtocolInvalid, $"an {architecture} checkpoint; the embedded engine draws SD1.x and SDXL (for {architecture}, v-prediction with OpenCLIP-H, use the a1111 or comfyui backend)");
        }
    }

    /// <summary>Keeps the recipe's inputs open and closes those it no longer uses (rounds change the pool).</summary>
    private List<SafetensorsFile> Open(IReadOnlyList<string> paths)
    {
        foreach (var stale in _inputs.Keys.Except(paths, StringComparer.Ordinal).ToList())
        {
            _inputs.Remove(stale, out var file);
            file!.Dispose();
        }

        var missing = paths.Where(p => !_inputs.ContainsKey(p)).ToList();
        foreach (var (path, file) in missing.Zip(CheckpointMerger.OpenAll(missing)))
        {
            file.KeepMapped();
            _inputs[path] = file;
        }

        return paths.Select(p => _inputs[p]).ToList();
    }

    private static bool ShapesMatch(DiffusionPipeline pipeline, MergePlan plan)
    {
        var weights = pipeline.Weights.Tensors;
        var matched = 0;
        foreach (var task in plan.Tensors)
        {
            if (weights.TryGetValue(task.Output.Name, out var tensor))
            {
                if (!tensor.shape.SequenceEqual(task.Output.Shape))
                {
                    return false;
                }

                matched++;
            }
        }

        return matched == weights.Count;
    }

    private static string Signature(PlannedTensor task, IReadOnlyList<string> inputs) =>
        string.Create(CultureInfo.InvariantCulture, $"{task.Output.DType}|{task.RawCopy}|") +
        string.Join(';', task.Sources.Select(s => string.Create(CultureInfo.InvariantCulture, $"{inputs[s.Input]}:{s.Tensor.Name}:{s.Coefficient:R}")));

    public void Dispose()
    {
        Pipeline?.Dispose();
        foreach (var file in _inputs.Values)
        {
            file.Dispose();
        }

        _inputs.Clear();
    }
}
