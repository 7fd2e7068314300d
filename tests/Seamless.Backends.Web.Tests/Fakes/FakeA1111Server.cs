using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Seamless.Tests.Fakes;

/// <summary>
/// The documented A1111 API contract, with its traps: an ignored checkpoint override, a silently swapped sampler,
/// a grid image before the samples, no hashes with --no-hashing, no /schedulers before 1.9.
/// </summary>
internal sealed class FakeA1111Server(string modelsDir) : FakeServer(modelsDir)
{
    public static readonly string[] SamplerNames = ["DPM++ 2M", "Euler a", "Euler"];

    public bool IgnoreOverride { get; set; }

    public bool SwapSampler { get; set; }

    public bool Legacy { get; set; }

    public bool Hashing { get; set; } = true;

    public string CurrentTitle { get; private set; } = "preloaded.safetensors [0123456789]";

    public List<JsonElement> Txt2ImgBodies { get; } = [];

    public static async Task<FakeA1111Server> StartAsync(string modelsDir)
    {
        var server = new FakeA1111Server(modelsDir);
        await server.StartAsync();
        return server;
    }

    private int _hung;

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
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(ctx.Request.Body);
            lock (Txt2ImgBodies)
            {
                Txt2ImgBodies.Add(body);
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

            var seed = body.GetProperty("seed").GetInt64();
            var batch = body.GetProperty("batch_size").GetInt32() * body.GetProperty("n_iter").GetInt32();
            var sampler = body.GetProperty("sampler_name").GetString()!;
            if (SwapSampler || !(Legacy ? SamplerNames.Select(n => n + " Karras").Concat(SamplerNames) : SamplerNames).Contains(sampler))
            {
                sampler = "Euler";
            }

            var prompt = body.GetProperty("prompt").GetString()!;
            var size = body.GetProperty("width").GetInt32();
            var model = CurrentTitle.Split(' ')[0];
            var images = Enumerable.Range(0, batch).Select(i => Convert.ToBase64String(Png(model, seed + i, prompt, size))).ToList();
            if (batch > 1)
            {
                images.Insert(0, Convert.ToBase64String(Png("grid", seed, prompt, size)));
            }

            if (TakeCorrupt())
            {
                images[^1] = Convert.ToBase64String("this is not a png"u8.ToArray());
            }

            var entry = Checkpoints().FirstOrDefault(c => $"{c.Relative} [{c.Sha256[..10]}]" == CurrentTitle);
            var info = new Dictionary<string, object?>
            {
                ["prompt"] = prompt,
                ["seed"] = seed,
                ["all_seeds"] = Enumerable.Range(0, batch).Select(i => seed + i).ToArray(),
                ["sampler_name"] = sampler,
                ["sd_model_name"] = Path.GetFileNameWithoutExtension(model),
                ["sd_model_hash"] = Hashing ? (entry.Sha256?[..10] ?? "0123456789") : null,
            };
            return Results.Json(new { images, parameters = body, info = JsonSerializer.Serialize(info) });
        });
    }

    private void Select(string title)
    {
        if (!IgnoreOverride && Checkpoints().Any(c => $"{c.Relative} [{c.Sha256[..10]}]" == title))
        {
            CurrentTitle = title;
        }
    }
}
