using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Seamless.Backends.Web.ComfyUi;

namespace Seamless.Tests.Fakes;

/// <summary>
/// The ComfyUI HTTP contract: /object_info combos; /prompt validated as ComfyUI validates an API-format graph (known
/// node classes, every required input present, combo values in their lists, links to existing nodes with an output of
/// the right type, an output node to run), answering 400 with <c>node_errors</c> otherwise; /history that stays empty
/// until the graph has run and then holds [number, id, graph, extra, outputs] under "prompt"; /view serving PNGs with
/// the graph in a "prompt" text chunk, as SaveImage writes them. The fake executes the graph by following its links
/// from SaveImage, never by the client's node ids. Traps: 500s, corrupt files, execution errors, and
/// <see cref="OtherCheckpoint"/>: a server that runs another checkpoint than the one asked for.
/// </summary>
internal sealed class FakeComfyServer(string modelsDir) : FakeServer(modelsDir)
{
    private readonly ConcurrentDictionary<string, (DateTime Ready, JsonElement Graph, bool Error)> _jobs = new();
    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    private readonly ConcurrentDictionary<string, JsonElement> _done = new();
    private int _counter;

    public int ExecutionErrors { get; set; }

    /// <summary>When set, graphs run with this checkpoint whatever they ask for (history and PNG metadata say so).</summary>
    public string? OtherCheckpoint { get; set; }

    /// <summary>When set, the server decodes with the checkpoint's VAE whatever VAELoader the graph has (and says so in /history).</summary>
    public bool DropVae { get; set; }

    /// <summary>When set, the PNGs' embedded graph names this checkpoint (a stale image served for the prompt).</summary>
    public string? ImageCheckpoint { get; set; }

    /// <summary>When false, PNGs carry no metadata (ComfyUI's --disable-metadata).</summary>
    public bool Metadata { get; set; } = true;

    public List<JsonElement> Graphs { get; } = [];

    /// <summary>The executed graphs' facts, read by following links: checkpoint, positive and negative text, seed, batch…</summary>
    public List<Dictionary<string, object>> Runs { get; } = [];

    private static readonly string[] Samplers = ["euler", "euler_ancestral", "dpmpp_2m"];
    private static readonly string[] Schedulers = ["normal", "karras"];

    public static async Task<FakeComfyServer> StartAsync(string modelsDir)
    {
        var server = new FakeComfyServer(modelsDir);
        await server.StartAsync();
        return server;
    }

    /// <summary>Input type per node class: a ComfyUI type name, or a combo's allowed values; and the output types.</summary>
    private Dictionary<string, (Dictionary<string, object> Inputs, string[] Outputs)> Schema() => new()
    {
        ["CheckpointLoaderSimple"] = (new() { ["ckpt_name"] = Checkpoints().Select(c => c.Relative).ToArray() }, ["MODEL", "CLIP", "VAE"]),
        ["VAELoader"] = (new() { ["vae_name"] = Vaes() }, ["VAE"]),
        ["CLIPTextEncode"] = (new() { ["text"] = "STRING", ["clip"] = "CLIP" }, ["CONDITIONING"]),
        ["EmptyLatentImage"] = (new() { ["width"] = "INT", ["height"] = "INT", ["batch_size"] = "INT" }, ["LATENT"]),
        ["KSampler"] = (new()
        {
            ["model"] = "MODEL", ["seed"] = "INT", ["steps"] = "INT", ["cfg"] = "FLOAT", ["sampler_name"] = Samplers, ["scheduler"] = Schedulers,
            ["positive"] = "CONDITIONING", ["negative"] = "CONDITIONING", ["latent_image"] = "LATENT", ["denoise"] = "FLOAT",
        }, ["LATENT"]),
        ["VAEDecode"] = (new() { ["samples"] = "LATENT", ["vae"] = "VAE" }, ["IMAGE"]),
        ["SaveImage"] = (new() { ["images"] = "IMAGE", ["filename_prefix"] = "STRING" }, []),
    };

    private string[] Vaes()
    {
        var folder = Path.Combine(Path.GetDirectoryName(ModelsDir.TrimEnd('/', '\\'))!, "vae");
        return Directory.Exists(folder) ? Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray() : [];
    }

    protected override void Map(WebApplication app)
    {
        app.MapGet("/object_info/{node}", (string node) =>
        {
            var schema = Schema();
            if (!schema.TryGetValue(node, out var spec))
            {
                return Results.Json(new { });
            }

            var required = spec.Inputs.ToDictionary(kv => kv.Key, kv => kv.Value is string[] combo ? new object[] { combo } : new object[] { kv.Value });
            return Results.Json(new Dictionary<string, object> { [node] = new { input = new { required }, output = spec.Outputs } });
        });
        app.MapPost("/prompt", async (HttpContext ctx) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(ctx.Request.Body);
            if (TakeFail500())
            {
                return Results.Problem("server error", statusCode: 500);
            }

            if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("prompt", out var graph) || graph.ValueKind != JsonValueKind.Object)
            {
                return Results.Json(new { error = new { type = "no_prompt", message = "No prompt provided", details = "" }, node_errors = new { } }, statusCode: 400);
            }

            lock (Graphs)
            {
                Graphs.Add(graph.Clone());
            }

            if (Validate(graph) is { } refusal)
            {
                return refusal;
            }

            var id = Guid.NewGuid().ToString();
            var error = Take(() => ExecutionErrors, v => ExecutionErrors = v);
            _jobs[id] = (DateTime.UtcNow.AddMilliseconds(60), graph.Clone(), error);
            return Results.Json(new { prompt_id = id, number = Interlocked.Increment(ref _counter), node_errors = new { } });
        });
        app.MapGet("/history/{id}", (string id) => History(id));
        app.MapGet("/view", (string filename, string subfolder, string type) =>
        {
            if (!_files.TryGetValue(filename, out var png) || subfolder != "seamless" || type != "output")
            {
                return Results.NotFound();
            }

            // Cut inside the image data (the text chunk would otherwise make half a file still decodable).
            return Results.Bytes(TakeCorrupt() ? png[..Math.Min(50, png.Length / 2)] : png, "image/png");
        });
    }

    /// <summary>ComfyUI's validate_prompt, for the node classes above: null when the graph may run.</summary>
    private IResult? Validate(JsonElement graph)
    {
        var schema = Schema();
        var nodeErrors = new Dictionary<string, object>();
        var outputs = 0;
        foreach (var node in graph.EnumerateObject())
        {
            var type = node.Value.ValueKind == JsonValueKind.Object && node.Value.TryGetProperty("class_type", out var c) ? c.GetString() : null;
            if (type is null || !schema.TryGetValue(type, out var spec))
            {
                return Results.Json(
                    new { error = new { type = "invalid_prompt", message = $"Cannot execute because node {type ?? "(no class_type)"} does not exist.", details = $"Node ID '#{node.Name}'" }, node_errors = new { } },
                    statusCode: 400);
            }

            outputs += type == "SaveImage" ? 1 : 0;
            var errors = new List<object>();
            var inputs = node.Value.TryGetProperty("inputs", out var i) && i.ValueKind == JsonValueKind.Object ? i : default;
            foreach (var (name, want) in spec.Inputs)
            {
                if (inputs.ValueKind != JsonValueKind.Object || !inputs.TryGetProperty(name, out var value))
                {
                    errors.Add(new { type = "required_input_missing", message = "Required input is missing", details = name });
                }
                else if (value.ValueKind == JsonValueKind.Array)
                {
                    // A link: [source node id, output index], to an output of the type this input takes.
                    var source = value.GetArrayLength() == 2 && value[0].ValueKind == JsonValueKind.String && graph.TryGetProperty(value[0].GetString()!, out var s) ? s : default;
                    var sourceType = source.ValueKind == JsonValueKind.Object && source.TryGetProperty("class_type", out var st) ? st.GetString() : null;
                    var slot = value.GetArrayLength() == 2 && value[1].ValueKind == JsonValueKind.Number ? value[1].GetInt32() : -1;
                    if (sourceType is null || !schema.TryGetValue(sourceType, out var sourceSpec) || slot < 0 || slot >= sourceSpec.Outputs.Length)
                    {
                        errors.Add(new { type = "bad_linked_input", message = "Bad linked input, must be a length-2 list of [string, int]", details = $"{name}: {value.GetRawText()}" });
                    }
                    else if (want is not string wanted || sourceSpec.Outputs[slot] != wanted)
                    {
                        errors.Add(new { type = "return_type_mismatch", message = "Return type mismatch between linked nodes", details = $"{name}, received_type({sourceSpec.Outputs[slot]}) mismatch input_type({want})" });
                    }
                }
                else if (want is string[] combo)
                {
                    if (value.ValueKind != JsonValueKind.String || !combo.Contains(value.GetString()))
                    {
                        errors.Add(new { type = "value_not_in_list", message = "Value not in list", details = $"{name}: '{value}' not in list" });
                    }
                }
                else if (want is "INT" && !(value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _))
                    || want is "FLOAT" && value.ValueKind != JsonValueKind.Number
                    || want is "STRING" && value.ValueKind != JsonValueKind.String
                    || want is "MODEL" or "CLIP" or "VAE" or "CONDITIONING" or "LATENT" or "IMAGE")
                {
                    errors.Add(new { type = "invalid_input_type", message = $"Failed to convert an input value to a {want} value", details = $"{name}, {value.GetRawText()}" });
                }
            }

            if (errors.Count > 0)
            {
                nodeErrors[node.Name] = new { errors, dependent_outputs = Array.Empty<string>(), class_type = type };
            }
        }

        if (outputs == 0)
        {
            return Results.Json(new { error = new { type = "prompt_no_outputs", message = "Prompt has no outputs", details = "" }, node_errors = new { } }, statusCode: 400);
        }

        return nodeErrors.Count == 0
            ? null
            : Results.Json(new { error = new { type = "prompt_outputs_failed_validation", message = "Prompt outputs failed validation", details = "" }, node_errors = nodeErrors }, statusCode: 400);
    }

    private static JsonElement WithCheckpoint(JsonElement graph, string checkpoint)
    {
        var nodes = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, JsonElement>>>(graph.GetRawText())!;
        foreach (var node in nodes.Values.Where(n => n["class_type"].GetString() == "CheckpointLoaderSimple"))
        {
            var inputs = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(node["inputs"].GetRawText())!;
            inputs["ckpt_name"] = JsonSerializer.SerializeToElement(checkpoint);
            node["inputs"] = JsonSerializer.SerializeToElement(inputs);
        }

        return JsonSerializer.SerializeToElement(nodes);
    }

    /// <summary>The graph with its VAELoader removed and VAEDecode fed by the checkpoint loader's VAE output.</summary>
    private static JsonElement WithoutVae(JsonElement graph)
    {
        var nodes = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, JsonElement>>>(graph.GetRawText())!;
        var loader = nodes.First(n => n.Value["class_type"].GetString() == "CheckpointLoaderSimple").Key;
        foreach (var id in nodes.Where(n => n.Value["class_type"].GetString() == "VAELoader").Select(n => n.Key).ToList())
        {
            nodes.Remove(id);
        }

        foreach (var node in nodes.Values.Where(n => n["class_type"].GetString() == "VAEDecode"))
        {
            var inputs = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(node["inputs"].GetRawText())!;
            inputs["vae"] = JsonSerializer.SerializeToElement(new object[] { loader, 2 });
            node["inputs"] = JsonSerializer.SerializeToElement(inputs);
        }

        return JsonSerializer.SerializeToElement(nodes);
    }

    /// <summary>Follows a link input of <paramref name="node"/> to its source node.</summary>
    private static JsonElement Follow(JsonElement graph, JsonElement node, string input) =>
        graph.GetProperty(node.GetProperty("inputs").GetProperty(input)[0].GetString()!);

    private IResult History(string id)
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

        // Execute by links from the output node, as ComfyUI does; a trap may swap the checkpoint it really loads.
        var graph = OtherCheckpoint is { } other ? WithCheckpoint(job.Graph, other) : job.Graph;
        graph = DropVae ? WithoutVae(graph) : graph;
        var (saveId, save) = graph.EnumerateObject().Where(n => n.Value.GetProperty("class_type").GetString() == "SaveImage").Select(n => (n.Name, n.Value)).First();
        var decode = Follow(graph, save, "images");
        var sampler = Follow(graph, decode, "samples");
        var loader = Follow(graph, sampler, "model");
        var vaeNode = Follow(graph, decode, "vae");
        var latent = Follow(graph, sampler, "latent_image");
        var ks = sampler.GetProperty("inputs");
        var ckpt = loader.GetProperty("inputs").GetProperty("ckpt_name").GetString()!;
        var positive = Follow(graph, sampler, "positive").GetProperty("inputs").GetProperty("text").GetString()!;
        var negative = Follow(graph, sampler, "negative").GetProperty("inputs").GetProperty("text").GetString()!;
        var seed = ks.GetProperty("seed").GetInt64();
        var batch = latent.GetProperty("inputs").GetProperty("batch_size").GetInt32();
        var width = latent.GetProperty("inputs").GetProperty("width").GetInt32();
        var vae = vaeNode.GetProperty("class_type").GetString() == "VAELoader" ? vaeNode.GetProperty("inputs").GetProperty("vae_name").GetString()! : "(checkpoint)";
        lock (Runs)
        {
            Runs.Add(new Dictionary<string, object>
            {
                ["ckpt"] = ckpt, ["positive"] = positive, ["negative"] = negative, ["seed"] = seed, ["batch"] = batch, ["width"] = width,
                ["height"] = latent.GetProperty("inputs").GetProperty("height").GetInt32(), ["steps"] = ks.GetProperty("steps").GetInt32(),
                ["cfg"] = ks.GetProperty("cfg").GetDouble(), ["sampler"] = ks.GetProperty("sampler_name").GetString()!,
                ["scheduler"] = ks.GetProperty("scheduler").GetString()!, ["vae"] = vae,
            });
        }

        var images = new List<object>();
        for (var i = 0; i < batch; i++)
        {
            var name = $"seamless_{Interlocked.Increment(ref _counter):00000}_.png";
            var png = Png(ckpt + "|" + vae, (seed * 100) + i, positive, width);
            var embedded = ImageCheckpoint is { } stale ? WithCheckpoint(graph, stale) : graph;
            _files.TryAdd(name, Metadata ? PngText.With(png, "prompt", embedded.GetRawText()) : png);
            images.Add(new { filename = name, subfolder = "seamless", type = "output" });
        }

        _jobs.TryRemove(id, out _);
        var entry = new
        {
            prompt = new object[] { 0, id, graph, new { client_id = "fake" }, new[] { saveId } },
            outputs = new Dictionary<string, object> { [saveId] = new { images } },
            status = new { status_str = "success", completed = true, messages = Array.Empty<object>() },
        };
        _done[id] = JsonSerializer.SerializeToElement(entry);
        return Results.Json(new Dictionary<string, object> { [id] = entry });
    }
}
