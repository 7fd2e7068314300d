using System.Text.Json;
using Seamless.Backends.Web.Http;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Generation;
using Seamless.Evaluation.Images;

namespace Seamless.Backends.Web.A1111;

/// <summary>
/// AUTOMATIC1111 / Forge through its <c>--api</c>. Each candidate gets a new file name, the server re-scans its
/// checkpoints, the candidate's exact title is looked up and selected, and every response's <c>info</c> is checked:
/// the server silently ignores an unknown checkpoint override or sampler, so a score is only recorded when
/// <c>sd_model_name</c>, <c>sd_model_hash</c> (when hashing is on), the sampler and the seeds are the ones asked for.
/// </summary>
public sealed class A1111Generator : IImageGenerator
{
    private readonly WebApi _api;
    private readonly IImageCodec _codec;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Capabilities? _capabilities;

    public A1111Generator(WebBackendOptions options, IImageCodec codec, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _api = new WebApi("A1111", options, handler);
        _codec = codec;
        Options = options;
    }

    public WebBackendOptions Options { get; }

    public string Name => $"a1111@{Options.Display}";

    public async Task<IGenerationSession> OpenAsync(CandidateModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var caps = await CapabilitiesAsync(cancellationToken).ConfigureAwait(false);
        var placed = CandidateFiles.Place(model, Options.ModelsDir);
        try
        {
            await _api.PostJsonAsync("/sdapi/v1/refresh-checkpoints", new { }, cancellationToken).ConfigureAwait(false);
            var models = await _api.GetJsonAsync("/sdapi/v1/sd-models", cancellationToken).ConfigureAwait(false);
            var fileName = Path.GetFileName(placed);
            var entry = models.ValueKind == JsonValueKind.Array
                ? models.EnumerateArray().FirstOrDefault(m => JsonFields.Str(m, "filename") is { } f && Path.GetFileName(f.Replace('\\', '/')) == fileName)
                : default;
            if (entry.ValueKind != JsonValueKind.Object || JsonFields.Str(entry, "title") is not { } title)
            {
                throw new EvaluationException(placed, EvaluationError.BackendFailed,
                    $"{Name} does not list the candidate after refresh-checkpoints; is --models-dir the server's models/Stable-diffusion folder (as this machine sees it)?");
            }

            await _api.PostJsonAsync("/sdapi/v1/options", new Dictionary<string, object> { ["sd_model_checkpoint"] = title }, cancellationToken).ConfigureAwait(false);
            var expectedName = Path.GetFileNameWithoutExtension(fileName);
            var expectedHash = JsonFields.Str(entry, "hash") ?? JsonFields.Str(entry, "sha256")?[..10];
            var vae = model.Vae is null ? null : await VaeAsync(model.Vae, cancellationToken).ConfigureAwait(false);
            return new Session(this, caps, placed, title, expectedName, model.Sha256[..10], expectedHash, vae);
        }
        catch
        {
            CandidateFiles.Remove(placed);
            throw;
        }
    }

    /// <summary>
    /// The <c>sd_vae</c> value for a VAE asked by name: A1111's own <c>None</c> / <c>Automatic</c>, or an entry of
    /// <c>/sdapi/v1/sd-vae</c> matched by its model_name or its file's name.
    /// </summary>
    private async Task<string> VaeAsync(string asked, CancellationToken cancellationToken)
    {
        if (asked.Equals("None", StringComparison.OrdinalIgnoreCase) || asked.Equals("Automatic", StringComparison.OrdinalIgnoreCase))
        {
            return asked.Equals("None", StringComparison.OrdinalIgnoreCase) ? "None" : "Automatic";
        }

        var list = await _api.GetJsonAsync("/sdapi/v1/sd-vae", cancellationToken).ConfigureAwait(false);
        var entries = list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).ToList() : [];
        var names = entries.Select(e => JsonFields.Str(e, "model_name")).OfType<string>().ToList();
        var match = entries.FirstOrDefault(e => JsonFields.Str(e, "model_name") == asked || (JsonFields.Str(e, "filename") is { } f && Path.GetFileName(f.Replace('\\', '/')) == Path.GetFileName(asked)));
        return match.ValueKind == JsonValueKind.Object && JsonFields.Str(match, "model_name") is { } name ? name
            : throw new EvaluationException(asked, EvaluationError.BackendFailed,
                $"{Name} has no VAE '{asked}' (it lists {(names.Count == 0 ? "none" : string.Join(", ", names))}); put it in the server's models/VAE folder, or use None for the checkpoint's own");
    }

    private async Task<Capabilities> CapabilitiesAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_capabilities is not null)
            {
                return _capabilities;
            }

            var samplers = await _api.GetJsonAsync("/sdapi/v1/samplers", cancellationToken).ConfigureAwait(false);
            var samplerNames = Names(samplers, "name", "aliases");
            HashSet<string>? schedulers = null;
            try
            {
                schedulers = Names(await _api.GetJsonAsync("/sdapi/v1/schedulers", cancellationToken).ConfigureAwait(false), "name", "label", "aliases");
            }
            catch (EvaluationException ex) when (ex.Message.Contains(" answered 404 ", StringComparison.Ordinal))
            {
                // Before 1.9 the scheduler was part of the sampler name ("DPM++ 2M Karras").
            }

            return _capabilities = new Capabilities(samplerNames, schedulers);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static HashSet<string> Names(JsonElement list, params string[] fields)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (list.ValueKind != JsonValueKind.Array)
        {
            return names;
        }

        foreach (var item in list.EnumerateArray())
        {
            foreach (var f in fields)
            {
                if (!item.TryGetProperty(f, out var v))
                {
                    continue;
                }

                if (v.ValueKind == JsonValueKind.String)
                {
                    names.Add(v.GetString()!);
                }
                else if (v.ValueKind == JsonValueKind.Array)
                {
                    foreach (var a in v.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String))
                    {
                        names.Add(a.GetString()!);
                    }
                }
            }
        }

        return names;
    }

    public ValueTask DisposeAsync()
    {
        _api.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Request fields that A1111's <c>info</c> reports back and that must match.</summary>
    private static readonly string[] CheckedFields = ["prompt", "negative_prompt", "steps", "cfg_scale", "width", "height"];

    private static bool SameSetting(JsonElement drawn, object asked) => asked switch
    {
        string text => drawn.ValueKind == JsonValueKind.String && drawn.GetString() == text,
        int or long or double => drawn.ValueKind == JsonValueKind.Number && Math.Abs(drawn.GetDouble() - Convert.ToDouble(asked, System.Globalization.CultureInfo.InvariantCulture)) < 1e-9,
        _ => true,
    };

    private sealed record Capabilities(HashSet<string> Samplers, HashSet<string>? Schedulers);

    private sealed class Session(A1111Generator owner, Capabilities caps, string placed, string title, string expectedName, string shortHash, string? listedHash, string? vae) : IGenerationSession
    {
        public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(request);
            var (sampler, scheduler) = Resolve(request);
            var images = new List<GeneratedImage>(request.Count);
            for (var start = 0; start < request.Count; start += request.BatchSize)
            {
                var n = Math.Min(request.BatchSize, request.Count - start);
                var seed = request.Seed + start;
                var body = new Dictionary<string, object?>
                {
                    ["prompt"] = request.Prompt,
                    ["negative_prompt"] = request.Negative,
                    ["seed"] = seed,
                    ["subseed"] = -1,
                    ["subseed_strength"] = 0,
                    ["batch_size"] = n,
                    ["n_iter"] = 1,
                    ["steps"] = request.Steps,
                    ["cfg_scale"] = request.Cfg,
                    ["width"] = request.Width,
                    ["height"] = request.Height,
                    ["sampler_name"] = sampler,
                    ["override_settings"] = vae is null
                        ? new Dictionary<string, object> { ["sd_model_checkpoint"] = title }
                        : new Dictionary<string, object> { ["sd_model_checkpoint"] = title, ["sd_vae"] = vae },
                    ["override_settings_restore_afterwards"] = false,
                    ["send_images"] = true,
                    ["save_images"] = false,
                };
                if (scheduler is not null)
                {
                    body["scheduler"] = scheduler;
                }

                var batch = await owner._api.RetryAsync("txt2img", ct => Draw(body, seed, n, sampler, ct), cancellationToken).ConfigureAwait(false);
                images.AddRange(batch);
            }

            return images;
        }

        private async Task<List<GeneratedImage>> Draw(Dictionary<string, object?> body, long seed, int n, string sampler, CancellationToken ct)
        {
            var response = await owner._api.PostJsonAsync("/sdapi/v1/txt2img", body, ct).ConfigureAwait(false);
            var info = ParseInfo(response);
            var where = owner.Name;
            var drawnBy = JsonFields.Str(info, "sd_model_name");
            if (drawnBy != expectedName)
            {
                throw new EvaluationException(placed, EvaluationError.BackendMismatch, $"{where} drew with '{drawnBy}' instead of the candidate '{expectedName}' (the checkpoint override was ignored); no score recorded");
            }

            var hash = JsonFields.Str(info, "sd_model_hash");
            if (hash is not null && !hash.Equals(shortHash, StringComparison.OrdinalIgnoreCase) && !hash.Equals(listedHash, StringComparison.OrdinalIgnoreCase))
            {
                throw new EvaluationException(placed, EvaluationError.BackendMismatch, $"{where} reports model hash {hash}, the candidate's is {shortHash}; a stale model of the same name?");
            }

            // A1111 ≥ 1.6 reports the VAE it decoded with (sd_vae_name: the loaded file's name, absent with the
            // checkpoint's own); an unknown sd_vae override is ignored silently, like an unknown checkpoint.
            if (vae is not null and not "Automatic" && info.TryGetProperty("sd_vae_name", out var vaeName))
            {
                var drawnVae = vaeName.ValueKind == JsonValueKind.String ? vaeName.GetString() : null;
                var expectedVae = vae == "None" ? null : Path.GetFileName(vae.Replace('\\', '/'));
                if (!string.Equals(drawnVae, expectedVae, StringComparison.Ordinal) && !string.Equals(Path.GetFileNameWithoutExtension(drawnVae), Path.GetFileNameWithoutExtension(expectedVae), StringComparison.Ordinal))
                {
                    throw new EvaluationException(placed, EvaluationError.BackendMismatch, $"{where} decoded with VAE '{drawnVae ?? "(the checkpoint's)"}' instead of '{vae}' (the sd_vae override was ignored); no score recorded");
                }
            }

            var usedSampler = JsonFields.Str(info, "sampler_name");
            if (usedSampler is not null && !usedSampler.Equals(sampler, StringComparison.OrdinalIgnoreCase))
            {
                throw new EvaluationException(null, EvaluationError.BackendMismatch, $"{where} drew with sampler '{usedSampler}' instead of '{sampler}'");
            }

            // The rest of what it reports drawing with must be what was asked: a server that ignores a field (an
            // extension, an old version) would otherwise score images of another protocol.
            foreach (var field in CheckedFields)
            {
                if (info.TryGetProperty(field, out var drawn) && body.TryGetValue(field, out var asked) && asked is not null && !SameSetting(drawn, asked))
                {
                    throw new EvaluationException(null, EvaluationError.BackendMismatch, $"{where} drew with {field} {drawn} instead of {asked}; no score recorded");
                }
            }

            var seeds = info.TryGetProperty("all_seeds", out var s) && s.ValueKind == JsonValueKind.Array
                ? s.EnumerateArray().Select(x => x.GetInt64()).ToList()
                : [info.TryGetProperty("seed", out var one) ? one.GetInt64() : seed];
            var expectedSeeds = Enumerable.Range(0, n).Select(i => seed + i).ToList();
            if (!seeds.Take(n).SequenceEqual(expectedSeeds))
            {
                throw new EvaluationException(null, EvaluationError.BackendMismatch, $"{where} used seeds {string.Join(",", seeds)} instead of {string.Join(",", expectedSeeds)}");
            }

            var encoded = response.TryGetProperty("images", out var imgs) && imgs.ValueKind == JsonValueKind.Array
                ? imgs.EnumerateArray().Select(i => i.GetString() ?? "").ToList()
                : [];

            // With batch_size > 1 the server prepends a grid of the batch (return_grid); it is not a sample.
            if (encoded.Count == n + 1)
            {
                encoded.RemoveAt(0);
            }

            if (encoded.Count != n)
            {
                throw new TransientResponseException($"{encoded.Count} images for a batch of {n}");
            }

            var result = new List<GeneratedImage>(n);
            for (var i = 0; i < n; i++)
            {
                byte[] png;
                try
                {
                    var b64 = encoded[i];
                    var comma = b64.IndexOf(',', StringComparison.Ordinal);
                    png = Convert.FromBase64String(b64.StartsWith("data:", StringComparison.Ordinal) && comma > 0 ? b64[(comma + 1)..] : b64);
                    var pixels = owner._codec.Decode(png, $"{where} image (seed {seed + i})");
                    result.Add(new GeneratedImage(seed + i, png, pixels));
                }
                catch (Exception ex) when (ex is FormatException or EvaluationException)
                {
                    throw new TransientResponseException($"image {i} of the batch is not a valid PNG ({ex.Message})", ex);
                }
            }

            return result;
        }

        private static JsonElement ParseInfo(JsonElement response)
        {
            if (!response.TryGetProperty("info", out var info))
            {
                throw new TransientResponseException("the response has no info");
            }

            if (info.ValueKind == JsonValueKind.String)
            {
                try
                {
                    using var doc = JsonDocument.Parse(info.GetString()!);
                    return doc.RootElement.Clone();
                }
                catch (JsonException ex)
                {
                    throw new TransientResponseException("the response's info is not JSON", ex);
                }
            }

            return info;
        }

        private (string Sampler, string? Scheduler) Resolve(GenerationRequest request)
        {
            if (caps.Schedulers is not null)
            {
                if (!caps.Samplers.Contains(request.Sampler))
                {
                    throw new EvaluationException(null, EvaluationError.BackendFailed, $"{owner.Name} has no sampler '{request.Sampler}' (it has {string.Join(", ", caps.Samplers.Order())})");
                }

                if (!caps.Schedulers.Contains(request.Scheduler))
                {
                    throw new EvaluationException(null, EvaluationError.BackendFailed, $"{owner.Name} has no scheduler '{request.Scheduler}' (it has {string.Join(", ", caps.Schedulers.Order())})");
                }

                return (request.Sampler, request.Scheduler);
            }

            // Old servers: "DPM++ 2M" + "karras" is the sampler "DPM++ 2M Karras".
            var combined = request.Scheduler is "karras" or "Karras" ? $"{request.Sampler} Karras" : request.Sampler;
            if (!caps.Samplers.Contains(combined))
            {
                throw new EvaluationException(null, EvaluationError.BackendFailed, $"{owner.Name} has no sampler '{combined}' (it has {string.Join(", ", caps.Samplers.Order())})");
            }

            return (combined, null);
        }

        public async ValueTask DisposeAsync()
        {
            CandidateFiles.Remove(placed);
            try
            {
                await owner._api.PostJsonAsync("/sdapi/v1/refresh-checkpoints", new { }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (EvaluationException)
            {
                // The file is gone either way; a stale entry in the server's list is harmless.
            }
        }
    }
}
