using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Seamless.Tests.Fakes;

/// <summary>
/// The ComfyUI HTTP contract: /object_info combos, /prompt validation with 400 node_errors, /history that stays
/// empty until the graph has run, /view serving the saved files. Traps: 500s, corrupt files, execution errors.
/// </summary>
internal sealed class FakeComfyServer(string modelsDir) : FakeServer(modelsDir)
{
    private readonly ConcurrentDictionary<string, (DateTime Ready, JsonElement Graph, bool Error)> _jobs = new();
    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    private int _counter;

    public int ExecutionErrors { get; set; }

    public List<JsonElement> Graphs { get; } = [];

    public static async Task<FakeComfyServer> StartAsync(string modelsDir)
    {
        var server = new FakeComfyServer(modelsDir);
        await server.StartAsync();
        return server;
    }

    protected override void Map(WebApplication app)
    {
        app.MapGet("/object_info/CheckpointLoaderSimple", () => Results.Json(new Dictionary<string, object>
        {
            ["CheckpointLoaderSimple"] = new { input = new { required = new { ckpt_name = new object[] { Checkpoints().Select(c => c.Relative).ToArray() } } } },
        }));
        app.MapGet("/object_info/KSampler", () => Results.Json(new Dictionary<string, object>
        {
            ["KSampler"] = new { input = new { required = new { sampler_name = new object[] { new[] { "euler", "euler_ancestral", "dpmpp_2m" } }, scheduler = new object[] { new[] { "normal", "karras" } } } } },
        }));
        app.MapPost("/prompt", async (HttpContext ctx) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(ctx.Request.Body);
            if (TakeFail500())
            {
                return Results.Problem("server error", statusCode: 500);
            }

            var graph = body.GetProperty("prompt");
            lock (Graphs)
            {
                Graphs.Add(graph);
            }

            var ckpt = graph.GetProperty("4").GetProperty("inputs").GetProperty("ckpt_name").GetString();
            if (!Checkpoints().Any(c => c.Relative == ckpt))
            {
                return Results.Json(
                    new
                    {
                        error = new { type = "prompt_outputs_failed_validation", message = "Prompt outputs failed validation", details = "" },
                        node_errors = new Dictionary<string, object> { ["4"] = new { errors = new[] { new { type = "value_not_in_list", message = "Value not in list", details = $"ckpt_name: '{ckpt}' not in list" } }, class_type = "CheckpointLoaderSimple" } },
                    },
                    statusCode: 400);
            }

            var id = Guid.NewGuid().ToString();
            var error = Take(() => ExecutionErrors, v => ExecutionErrors = v);
            _jobs[id] = (DateTime.UtcNow.AddMilliseconds(60), graph.Clone(), error);
            return Results.Json(new { prompt_id = id, number = Interlocked.Increment(ref _counter), node_errors = new { } });
        });
        app.MapGet("/history/{id}", (string id) =>
        {
            if (_done.TryGetValue(id, out var done))
            {
                return Results.Json(new Dictionary<string, object> { [id] = done });
            }

            if (!_jobs.TryGetValue(id, out var job) || DateTime.UtcNow < job.Ready)
            {
                return Results.Json(new { });
            }

            if (job.Error)
            {
                return Results.Json(new Dictionary<string, object>
                {
                    [id] = new { outputs = new { }, status = new { status_str = "error", completed = false, messages = new object[] { new object[] { "execution_error", new { exception_message = "Allocation on device" } } } } },
                });
            }

            var sampler = job.Graph.GetProperty("3").GetProperty("inputs");
            var seed = sampler.GetProperty("seed").GetInt64();
            var latent = job.Graph.GetProperty("5").GetProperty("inputs");
            var batch = latent.GetProperty("batch_size").GetInt32();
            var ckpt = job.Graph.GetProperty("4").GetProperty("inputs").GetProperty("ckpt_name").GetString()!;
            var prompt = job.Graph.GetProperty("6").GetProperty("inputs").GetProperty("text").GetString()!;
            var images = new List<object>();
            for (var i = 0; i < batch; i++)
            {
                var name = $"seamless_{Interlocked.Increment(ref _counter):00000}_.png";
                _files.TryAdd(name, Png(ckpt, (seed * 100) + i, prompt, latent.GetProperty("width").GetInt32()));
                images.Add(new { filename = name, subfolder = "seamless", type = "output" });
            }

            _jobs.TryRemove(id, out _);
            var entry = new { prompt = new object[] { 0, id }, outputs = new Dictionary<string, object> { ["9"] = new { images } }, status = new { status_str = "success", completed = true, messages = Array.Empty<object>() } };
            _done[id] = JsonSerializer.SerializeToElement(entry);
            return Results.Json(new Dictionary<string, object> { [id] = entry });
        });
        app.MapGet("/view", (string filename, string subfolder, string type) =>
        {
            if (!_files.TryGetValue(filename, out var png) || subfolder != "seamless" || type != "output")
            {
                return Results.NotFound();
            }

            return Results.Bytes(TakeCorrupt() ? png[..(png.Length / 2)] : png, "image/png");
        });
    }

    private readonly ConcurrentDictionary<string, JsonElement> _done = new();
}
