using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Seamless.Tests.Fakes;

/// <summary>
/// The documented A1111 API contract, with its traps: an ignored checkpoint override, a silently swapped sampler,
/// a grid image before the samples, no hashes with --no-hashing, no /schedulers before 1.9, an sd_vae override that is
/// silently ignored when the name is unknown (the info's sd_vae_name then tells).
/// </summary>
public sealed class FakeA1111Server(string modelsDir) : FakeServer(modelsDir)
{
    public static readonly string[] SamplerNames = ["DPM++ 2M", "Euler a", "Euler"];

    public bool IgnoreOverride { get; set; }

    public bool SwapSampler { get; set; }

    public bool Legacy { get; set; }

    public bool Hashing { get; set; } = true;

    /// <summary>VAE files in the server's models/VAE folder (what /sdapi/v1/sd-vae lists).</summary>
    public List<string> Vaes { get; } = ["kl-f8-anime2.ckpt", "vae-ft-mse-840000-ema-pruned.safetensors"];

    /// <summary>When set, sd_vae overrides are ignored even for listed VAEs.</summary>
    public bool IgnoreVae { get; set; }

    /// <summary>The loaded VAE's file name; null when the checkpoint's own decodes.</summary>
    public string? CurrentVae { get; private set; }

    public string CurrentTitle { get; private set; } = "preloaded.safetensors [0123456789]";

    public List<JsonElement> Txt2ImgBodies { get; } = [];

    /// <summary>Each answered txt2img request: its prompt, when it came and when its images went back.</summary>
    public List<(string Prompt, DateTime Received, DateTime Answered)> Txt2ImgSpans { get; } = [];

    public static async Task<FakeA1111Server> StartAsync(string modelsDir)
    {
        var server = new FakeA1111Server(modelsDir);
        await server.StartAsync();
        return server;
    }

    private int _hung;

    /// <summary>
    /// Time the "GPU" takes per image. Requests then queue behind one lock, as A1111's queue_lock serialises txt2img:
    /// a backend draws one batch at a time however many clients ask.
    /// </summary>
    public TimeSpan ImageDelay { get; set; }

    private readonly SemaphoreSlim _gpu = new(1, 1);

    /// <summary>Requests that hung until the client aborted them.</summary>
    public int Hung => _hung;

    protected override void Map(WebApplication app)
    {
        app.MapGet("/sdapi/v1/samplers", () => Results.Json(
            (Legacy ? SamplerNames.Select(n => n + " Karras").Concat(SamplerNames) : SamplerNames)
                .Select(n => new { name = n, aliases = new[] { n.ToLowerInvariant().Replace(' ', '_') }, options = new { } })));
        app.MapGet("/sdapi/v1/schedulers", () => Legacy
            ? Results.NotFound(new { detail = "Not Found" })
            : Results.Json(new[] { new { name = "automatic", label = "Automatic" }, new { name = "karras", label = "Karras" } }));
        app.MapPost("/sdapi/v1/refresh-checkpoints", () => Results.Json<object?>(null));
        app.MapGet("/sdapi/v1/sd-vae", () => Results.Json(Vaes.Select(v => new { model_name = v, filename = Path.Combine(Path.GetDirectoryName(ModelsDir.TrimEnd('/'))!, "VAE", v) })));
        app.MapGet("/sdapi/v1/sd-models", () => Results.Json(Checkpoints().Select(c => new
        {
            title = $"{c.Relative} [{c.Sha256[..10]}]",
            model_name = Path.ChangeExtension(c.Relative, null),
            hash = Hashing ? c.Sha256[..10] : null,
            sha256 = Hashing ? c.Sha256 : null,
            filename = c.Full,
            config = (string?)null,
        })));
        app.MapPost("/sdapi/v1/options", async (HttpContext ctx) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(ctx.Request.Body);
            if (body.TryGetProperty("sd_model_checkpoint", out var t))
            {
                Select(t.GetString()!);
            }

            return Results.Json<object?>(null);
        });
        app.MapPost("/sdapi/v1/txt2img", async (HttpContext ctx) =>
        {
            var received = DateTime.UtcNow;
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(ctx.Request.Body);
            lock (Txt2ImgBodies)
            {
                Txt2ImgBodies.Add(body);
            }

            if (Invalid(body) is { } problems)
            {
                // FastAPI's answer to a body its pydantic model rejects.
                return Results.Json(new { detail = problems }, statusCode: 422);
            }

            if (TakeFail500())
            {
                return Results.Problem("CUDA out of memory", statusCode: 500);
            }

            if (TakeHang())
            {
                // Hangs until the client gives up on the attempt (never answers on its own).
                Interlocked.Increment(ref _hung);
                await Task.Delay(Timeout.InfiniteTimeSpan, ctx.RequestAborted);
            }

            if (body.TryGetProperty("override_settings", out var o) && o.TryGetProperty("sd_model_checkpoint", out var ot))
            {
                Select(ot.GetString()!);
            }

            // sd_vae: "None" and "Automatic" (the checkpoint's own here), or a listed name; anything else is ignored.
            if (o.ValueKind == JsonValueKind.Object && o.TryGetProperty("sd_vae", out var ov) && !IgnoreVae)
            {
                var asked = ov.GetString();
                if (asked is "None" or "Automatic")
                {
                    CurrentVae = null;
                }
                else if (asked is not null && Vaes.Contains(asked))
                {
                    CurrentVae = asked;
                }
            }

            var seed = body.GetProperty("seed").GetInt64();
            var batch = body.GetProperty("batch_size").GetInt32() * body.GetProperty("n_iter").GetInt32();
            if (ImageDelay > TimeSpan.Zero)
            {
                await _gpu.WaitAsync(ctx.RequestAborted);
                try
                {
                    await Task.Delay(ImageDelay * batch, ctx.RequestAborted);
                }
                finally
                {
                    _gpu.Release();
                }
            }

            var sampler = body.GetProperty("sampler_name").GetString()!;
            if (SwapSampler || !(Legacy ? SamplerNames.Select(n => n + " Karras").Concat(SamplerNames) : SamplerNames).Contains(sampler))
            {
                sampler = "Euler";
            }

            var prompt = body.GetProperty("prompt").GetString()!;
            var size = body.GetProperty("width").GetInt32();
            var model = CurrentTitle.Split(' ')[0];
            var images = Enumerable.Range(0, batch).Select(i => Convert.ToBase64String(Png(CurrentVae is null ? model : model + "|" + CurrentVae, seed + i, prompt, size))).ToList();
            if (batch > 1)
            {
                images.Insert(0, Convert.ToBase64String(Png("grid", seed, prompt, size)));
            }

            if (TakeCorrupt())
            {
                images[^1] = Convert.ToBase64String("this is not a png"u8.ToArray());
            }

            var entry = Checkpoints().FirstOrDefault(c => $"{c.Relative} [{c.Sha256[..10]}]" == CurrentTitle);
            // What A1111 reports it drew with (processing.py's js()): every setting the request carried.
            var info = new Dictionary<string, object?>
            {
                ["prompt"] = prompt,
                ["all_prompts"] = Enumerable.Repeat(prompt, batch).ToArray(),
                ["negative_prompt"] = body.GetProperty("negative_prompt").GetString(),
                ["seed"] = seed,
                ["all_seeds"] = Enumerable.Range(0, batch).Select(i => seed + i).ToArray(),
                ["subseed_strength"] = body.GetProperty("subseed_strength").GetDouble(),
                ["width"] = size,
                ["height"] = body.GetProperty("height").GetInt32(),
                ["sampler_name"] = sampler,
                ["scheduler"] = body.TryGetProperty("scheduler", out var sch) ? sch.GetString() : null,
                ["cfg_scale"] = body.GetProperty("cfg_scale").GetDouble(),
                ["steps"] = body.GetProperty("steps").GetInt32() + (WrongSteps ? 1 : 0),
                ["batch_size"] = body.GetProperty("batch_size").GetInt32(),
                ["sd_model_name"] = Path.GetFileNameWithoutExtension(model),
                ["sd_model_hash"] = Hashing ? (entry.Sha256?[..10] ?? "0123456789") : null,
                ["sd_vae_name"] = CurrentVae,
                ["sd_vae_hash"] = CurrentVae is null ? null : "0badc0de",
            };
            lock (Txt2ImgBodies)
            {
                Txt2ImgSpans.Add((prompt, received, DateTime.UtcNow));
            }

            return Results.Json(new { images, parameters = body, info = JsonSerializer.Serialize(info) });
        });
    }

    /// <summary>When set, the reported steps differ from the requested ones (a server that ignored them).</summary>
    public bool WrongSteps { get; set; }

    /// <summary>
    /// The txt2img fields a client may send and their JSON kinds, as A1111's StableDiffusionTxt2ImgProcessingAPI model
    /// types them (the subset Seamless uses; anything else is refused here, so a misspelt field cannot pass).
    /// </summary>
    private static readonly Dictionary<string, JsonValueKind[]> Fields = new(StringComparer.Ordinal)
    {
        ["prompt"] = [JsonValueKind.String],
        ["negative_prompt"] = [JsonValueKind.String],
        ["seed"] = [JsonValueKind.Number],
        ["subseed"] = [JsonValueKind.Number],
        ["subseed_strength"] = [JsonValueKind.Number],
        ["batch_size"] = [JsonValueKind.Number],
        ["n_iter"] = [JsonValueKind.Number],
        ["steps"] = [JsonValueKind.Number],
        ["cfg_scale"] = [JsonValueKind.Number],
        ["width"] = [JsonValueKind.Number],
        ["height"] = [JsonValueKind.Number],
        ["sampler_name"] = [JsonValueKind.String],
        ["scheduler"] = [JsonValueKind.String],
        ["override_settings"] = [JsonValueKind.Object],
        ["override_settings_restore_afterwards"] = [JsonValueKind.True, JsonValueKind.False],
        ["send_images"] = [JsonValueKind.True, JsonValueKind.False],
        ["save_images"] = [JsonValueKind.True, JsonValueKind.False],
    };

    private static readonly string[] IntegerFields = ["seed", "subseed", "batch_size", "n_iter", "steps", "width", "height"];

    /// <summary>Pydantic-style errors for the body, or null when A1111 would accept it.</summary>
    private List<object>? Invalid(JsonElement body)
    {
        var problems = new List<object>();
        foreach (var field in body.EnumerateObject())
        {
            if (!Fields.TryGetValue(field.Name, out var kinds))
            {
                problems.Add(new { loc = new[] { "body", field.Name }, msg = "extra fields not permitted", type = "value_error.extra" });
            }
            else if (!kinds.Contains(field.Value.ValueKind) || (IntegerFields.Contains(field.Name) && !field.Value.TryGetInt64(out _)))
            {
                problems.Add(new { loc = new[] { "body", field.Name }, msg = $"value is not a valid {(kinds[0] == JsonValueKind.Number ? "number" : kinds[0].ToString().ToLowerInvariant())}", type = "type_error" });
            }
        }

        foreach (var required in new[] { "prompt", "seed", "batch_size", "n_iter", "steps", "width", "height", "sampler_name", "negative_prompt", "cfg_scale", "subseed_strength" })
        {
            if (!body.TryGetProperty(required, out _))
            {
                problems.Add(new { loc = new[] { "body", required }, msg = "field required (by this fake: every setting must be explicit)", type = "value_error.missing" });
            }
        }

        var width = body.TryGetProperty("width", out var w) && w.TryGetInt32(out var wv) ? wv : 0;
        var height = body.TryGetProperty("height", out var h) && h.TryGetInt32(out var hv) ? hv : 0;
        if (width % 8 != 0 || height % 8 != 0 || width <= 0 || height <= 0)
        {
            problems.Add(new { loc = new[] { "body", "width" }, msg = "width and height must be positive multiples of 8", type = "value_error" });
        }

        if (body.TryGetProperty("scheduler", out var sch) && sch.ValueKind == JsonValueKind.String && (Legacy || sch.GetString() is not ("automatic" or "karras")))
        {
            problems.Add(new { loc = new[] { "body", "scheduler" }, msg = $"scheduler '{sch.GetString()}' not found", type = "value_error" });
        }

        if (body.TryGetProperty("override_settings", out var o) && o.ValueKind == JsonValueKind.Object)
        {
            foreach (var setting in o.EnumerateObject().Where(p => p.Name is not ("sd_model_checkpoint" or "sd_vae" or "CLIP_stop_at_last_layers")))
            {
                problems.Add(new { loc = new[] { "body", "override_settings", setting.Name }, msg = "not an option this fake knows", type = "value_error" });
            }
        }

        return problems.Count == 0 ? null : problems;
    }

    private void Select(string title)
    {
        if (!IgnoreOverride && Checkpoints().Any(c => $"{c.Relative} [{c.Sha256[..10]}]" == title))
        {
            CurrentTitle = title;
        }
    }
}
