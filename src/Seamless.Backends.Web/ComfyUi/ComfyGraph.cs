namespace Seamless.Backends.Web.ComfyUi;

/// <summary>
/// The API-format text-to-image graph: CheckpointLoaderSimple → CLIPTextEncode ×2 → EmptyLatentImage → KSampler →
/// VAEDecode → SaveImage, with a VAELoader feeding VAEDecode when a separate VAE is asked for. Node ids are fixed so
/// the output node is known (<see cref="SaveNode"/>).
/// </summary>
public static class ComfyGraph
{
    public const string SaveNode = "9";

    /// <summary>The VAELoader's id when a separate VAE decodes (<c>vae</c> given).</summary>
    public const string VaeNode = "10";

    public static Dictionary<string, object> TextToImage(string checkpoint, string prompt, string negative, long seed, int batch, int width, int height, int steps, double cfg, string sampler, string scheduler, string filenamePrefix, string? vae = null)
    {
        static object Node(string type, object inputs) => new Dictionary<string, object> { ["class_type"] = type, ["inputs"] = inputs };
        static object[] Link(string node, int output) => [node, output];
        var graph = new Dictionary<string, object>
        {
            ["4"] = Node("CheckpointLoaderSimple", new Dictionary<string, object> { ["ckpt_name"] = checkpoint }),
            ["6"] = Node("CLIPTextEncode", new Dictionary<string, object> { ["text"] = prompt, ["clip"] = Link("4", 1) }),
            ["7"] = Node("CLIPTextEncode", new Dictionary<string, object> { ["text"] = negative, ["clip"] = Link("4", 1) }),
            ["5"] = Node("EmptyLatentImage", new Dictionary<string, object> { ["width"] = width, ["height"] = height, ["batch_size"] = batch }),
            ["3"] = Node("KSampler", new Dictionary<string, object>
            {
                ["seed"] = seed,
                ["steps"] = steps,
                ["cfg"] = cfg,
                ["sampler_name"] = sampler,
                ["scheduler"] = scheduler,
                ["denoise"] = 1.0,
                ["model"] = Link("4", 0),
                ["positive"] = Link("6", 0),
                ["negative"] = Link("7", 0),
                ["latent_image"] = Link("5", 0),
            }),
            ["8"] = Node("VAEDecode", new Dictionary<string, object> { ["samples"] = Link("3", 0), ["vae"] = vae is null ? Link("4", 2) : Link(VaeNode, 0) }),
            [SaveNode] = Node("SaveImage", new Dictionary<string, object> { ["filename_prefix"] = filenamePrefix, ["images"] = Link("8", 0) }),
        };
        if (vae is not null)
        {
            graph[VaeNode] = Node("VAELoader", new Dictionary<string, object> { ["vae_name"] = vae });
        }

        return graph;
    }

    /// <summary>A1111 sampler names → ComfyUI's (anything else is passed through and validated against the server).</summary>
    public static string SamplerName(string a1111) => a1111 switch
    {
        "DPM++ 2M" => "dpmpp_2m",
        "DPM++ 2M SDE" => "dpmpp_2m_sde",
        "DPM++ SDE" => "dpmpp_sde",
        "Euler a" => "euler_ancestral",
        "Euler" => "euler",
        "Heun" => "heun",
        "DDIM" => "ddim",
        "LMS" => "lms",
        "UniPC" => "uni_pc",
        _ => a1111,
    };

    public static string SchedulerName(string scheduler) => scheduler.ToLowerInvariant() switch
    {
        "automatic" => "normal",
        var s => s,
    };
}
