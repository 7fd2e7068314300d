using System.Text.Json;
using Seamless.Backends.Web.Http;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Generation;
using Seamless.Evaluation.Images;

namespace Seamless.Backends.Web.ComfyUi;

/// <summary>
/// ComfyUI through its HTTP API: the candidate is placed under <c>models/checkpoints/seamless/</c> with a unique
/// name (ComfyUI caches loaded models by name), checked to be visible in <c>/object_info</c>, then each batch is a
/// graph posted to <c>/prompt</c>, awaited by polling <c>/history/{id}</c> and fetched from <c>/view</c>. A 400 with
/// <c>node_errors</c> is reported as the server words it. Every batch is checked to have run with the candidate: the
/// graph <c>/history</c> says it executed, and the graph SaveImage embedded in each PNG, must name its checkpoint. ComfyUI draws a batch from one seed, so image i of a
/// request is labelled with the logical seed <c>Seed + i</c>: batch b uses seed <c>Seed + b·BatchSize</c>.
/// </summary>
public sealed class ComfyUiGenerator : IImageGenerator
{
    private readonly WebApi _api;
    private readonly IImageCodec _codec;
    private readonly string _clientId = Guid.NewGuid().ToString("N");

    public ComfyUiGenerator(WebBackendOptions options, IImageCodec codec, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _api = new WebApi("ComfyUI", options, handler);
        _codec = codec;
        Options = options;
    }

    public WebBackendOptions Options { get; }

    public string Name => $"comfyui@{Options.Display}";

    public async Task<IGenerationSession> OpenAsync(CandidateModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var placed = CandidateFiles.Place(model, Options.ModelsDir);
        try
        {
            var ckptName = $"{CandidateFiles.Subfolder}/{Path.GetFileName(placed)}";
            var loader = await _api.GetJsonAsync("/object_info/CheckpointLoaderSimple", cancellationToken).ConfigureAwait(false);
            var known = Choices(loader, "CheckpointLoaderSimple", "ckpt_name");
            var listed = known.FirstOrDefault(k => k.Replace('\\', '/') == ckptName);
            if (listed is null)
            {
                throw new EvaluationException(placed, EvaluationError.BackendFailed,
                    $"{Name} does not list the candidate as a checkpoint; is --models-dir the server's models/checkpoints folder (as this machine sees it)?");
            }

            string? vae = null;
            if (model.Vae is { } asked)
            {
                var vaes = Choices(await _api.GetJsonAsync("/object_info/VAELoader", cancellationToken).ConfigureAwait(false), "VAELoader", "vae_name");
                vae = vaes.FirstOrDefault(v => v == asked || v.Replace('\\', '/') == asked.Replace('\\', '/') || Path.GetFileName(v.Replace('\\', '/')) == Path.GetFileName(asked))
                    ?? throw new EvaluationException(asked, EvaluationError.BackendFailed,
                        $"{Name} has no VAE '{asked}' (VAELoader lists {(vaes.Count == 0 ? "none" : string.Join(", ", vaes))}); put it in the server's models/vae folder");
            }

            var ksampler = await _api.GetJsonAsync("/object_info/KSampler", cancellationToken).ConfigureAwait(false);
            return new Session(this, placed, listed, Choices(ksampler, "KSampler", "sampler_name"), Choices(ksampler, "KSampler", "scheduler"), model.Label, vae);
        }
        catch
        {
            CandidateFiles.Remove(placed);
            throw;
        }
    }

    /// <summary>The options of a combo input in an <c>/object_info</c> answer (<c>input.required.NAME[0]</c>).</summary>
    internal static List<string> Choices(JsonElement info, string node, string input)
    {
        if (info.ValueKind == JsonValueKind.Object && info.TryGetProperty(node, out var n) &&
            n.TryGetProperty("input", out var i) && i.TryGetProperty("required", out var r) &&
            r.TryGetProperty(input, out var spec) && spec.ValueKind == JsonValueKind.Array && spec.GetArrayLength() > 0 &&
            spec[0].ValueKind == JsonValueKind.Array)
        {
            return spec[0].EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList();
        }

        return [];
    }

    /// <summary>The ckpt_name of the graph's CheckpointLoaderSimple node (API format: node id → class_type, inputs).</summary>
    internal static string? CheckpointOf(JsonElement graph)
    {
        foreach (var node in graph.EnumerateObject())
        {
            if (node.Value.ValueKind == JsonValueKind.Object && JsonFields.Str(node.Value, "class_type") == "CheckpointLoaderSimple" &&
                node.Value.TryGetProperty("inputs", out var inputs))
            {
                return JsonFields.Str(inputs, "ckpt_name")?.Replace('\\', '/');
            }
        }

        return null;
    }

    /// <summary>The vae_name of the graph's VAELoader node, or null when the checkpoint's VAE decodes.</summary>
    internal static string? VaeOf(JsonElement graph)
    {
        foreach (var node in graph.EnumerateObject())
        {
            if (node.Value.ValueKind == JsonValueKind.Object && JsonFields.Str(node.Value, "class_type") == "VAELoader" &&
                node.Value.TryGetProperty("inputs", out var inputs))
            {
                return JsonFields.Str(inputs, "vae_name")?.Replace('\\', '/');
            }
        }

        return null;
    }

    public ValueTask DisposeAsync()
    {
        _api.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class Session(ComfyUiGenerator owner, string placed, string ckptName, List<string> samplers, List<string> schedulers, string label, string? vae) : IGenerationSession
    {
        public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(request);
            var sampler = ComfyGraph.SamplerName(request.Sampler);
            var scheduler = ComfyGraph.SchedulerName(request.Scheduler);
            if (samplers.Count > 0 && !samplers.Contains(sampler))
            {
                throw new EvaluationException(null, EvaluationError.BackendFailed, $"{owner.Name} has no sampler '{sampler}' (from '{request.Sampler}'; it has {string.Join(", ", samplers)})");
            }

            if (schedulers.Count > 0 && !schedulers.Contains(scheduler))
            {
                throw new EvaluationException(null, EvaluationError.BackendFailed, $"{owner.Name} has no scheduler '{scheduler}' (it has {string.Join(", ", schedulers)})");
            }

            var images = new List<GeneratedImage>(request.Count);
            for (var start = 0; start < request.Count; start += request.BatchSize)
            {
                var n = Math.Min(request.BatchSize, request.Count - start);
                var seed = request.Seed + start;
                var graph = ComfyGraph.TextToImage(ckptName, request.Prompt, request.Negative, seed, n, request.Width, request.Height, request.Steps, request.Cfg, sampler, scheduler, $"seamless/{label}", vae);
                images.AddRange(await owner._api.RetryAsync("prompt", ct => Draw(graph, seed, n, ct), cancellationToken).ConfigureAwait(false));
            }

            return images;
        }

        private async Task<List<GeneratedImage>> Draw(Dictionary<string, object> graph, long seed, int n, CancellationToken ct)
        {
            JsonElement queued;
            try
            {
                queued = await owner._api.PostJsonAsync("/prompt", new Dictionary<string, object> { ["prompt"] = graph, ["client_id"] = owner._clientId }, ct).ConfigureAwait(false);
            }
            catch (EvaluationException ex) when (ex.Message.Contains(" answered 400 ", StringComparison.Ordinal))
            {
                throw new EvaluationException(placed, EvaluationError.BackendFailed, $"{owner.Name} refused the graph: {ex.Message[(ex.Message.IndexOf(": ", ex.Message.IndexOf(" answered 400 ", StringComparison.Ordinal), StringComparison.Ordinal) + 2)..]}", ex);
            }

            var id = JsonFields.Str(queued, "prompt_id") ?? throw new TransientResponseException("no prompt_id in the /prompt answer");
            JsonElement entry;
            while (true)
            {
                var history = await owner._api.GetJsonAsync($"/history/{Uri.EscapeDataString(id)}", ct).ConfigureAwait(false);
                if (history.ValueKind == JsonValueKind.Object && history.TryGetProperty(id, out entry))
                {
                    var status = entry.TryGetProperty("status", out var st) ? st : default;
                    var statusText = JsonFields.Str(status, "status_str");
                    if (statusText == "error")
                    {
                        var messages = status.TryGetProperty("messages", out var m) ? WebApi.Shorten(m.GetRawText()) : "";
                        throw new EvaluationException(placed, EvaluationError.BackendFailed, $"{owner.Name} failed to run the graph: {messages}");
                    }

                    if (statusText is null or "success" && entry.TryGetProperty("outputs", out _))
                    {
                        break;
                    }
                }

                await Task.Delay(owner.Options.PollInterval, ct).ConfigureAwait(false);
            }

            // What ComfyUI says it executed for this prompt id must be the candidate's graph.
            var executed = entry.TryGetProperty("prompt", out var p) && p.ValueKind == JsonValueKind.Array && p.GetArrayLength() >= 3 ? p[2] : default;
            if (executed.ValueKind != JsonValueKind.Object)
            {
                throw new EvaluationException(placed, EvaluationError.BackendMismatch, $"{owner.Name}'s history of prompt {id} does not say which graph ran; no score recorded");
            }

            if (CheckpointOf(executed) is var ran && ran != ckptName.Replace('\\', '/'))
            {
                throw new EvaluationException(placed, EvaluationError.BackendMismatch, $"{owner.Name} ran prompt {id} with checkpoint '{ran}' instead of the candidate '{ckptName}'; no score recorded");
            }

            if (vae is not null && VaeOf(executed) is var decodedWith && decodedWith != vae.Replace('\\', '/'))
            {
                throw new EvaluationException(placed, EvaluationError.BackendMismatch, $"{owner.Name} ran prompt {id} with VAE '{decodedWith ?? "(the checkpoint's)"}' instead of '{vae}'; no score recorded");
            }

            var files = entry.GetProperty("outputs").TryGetProperty(ComfyGraph.SaveNode, out var save) && save.TryGetProperty("images", out var imgs)
                ? imgs.EnumerateArray().ToList()
                : [];
            if (files.Count != n)
            {
                throw new TransientResponseException($"{files.Count} images for a batch of {n}");
            }

            var result = new List<GeneratedImage>(n);
            for (var i = 0; i < n; i++)
            {
                var f = files[i];
                var query = $"/view?filename={Uri.EscapeDataString(JsonFields.Str(f, "filename") ?? "")}&subfolder={Uri.EscapeDataString(JsonFields.Str(f, "subfolder") ?? "")}&type={Uri.EscapeDataString(JsonFields.Str(f, "type") ?? "output")}";
                var png = await owner._api.GetBytesAsync(query, ct).ConfigureAwait(false);

                // SaveImage embeds the graph that drew the image (unless ComfyUI runs with --disable-metadata).
                if (PngText.Read(png).TryGetValue("prompt", out var embedded) && EmbeddedCheckpoint(embedded) is { } drawnBy && drawnBy != ckptName.Replace('\\', '/'))
                {
                    throw new EvaluationException(placed, EvaluationError.BackendMismatch, $"{owner.Name} image {JsonFields.Str(f, "filename")} was drawn with '{drawnBy}', not the candidate '{ckptName}'; no score recorded");
                }

                try
                {
                    result.Add(new GeneratedImage(seed + i, png, owner._codec.Decode(png, $"{owner.Name} image (seed {seed + i})")));
                }
                catch (EvaluationException ex)
                {
                    throw new TransientResponseException($"image {i} of the batch is not a valid PNG ({ex.Message})", ex);
                }
            }

            return result;
        }

        private static string? EmbeddedCheckpoint(string json)
        {
            try
            {
                using var doc = JsonDocument.Parse(json);
                return doc.RootElement.ValueKind == JsonValueKind.Object ? CheckpointOf(doc.RootElement) ?? string.Empty : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        public ValueTask DisposeAsync()
        {
            CandidateFiles.Remove(placed);
            return ValueTask.CompletedTask;
        }
    }
}
