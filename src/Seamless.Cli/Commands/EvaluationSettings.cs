using System.ComponentModel;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary>The options every tag-accuracy command shares: backend, tagger and prompt protocol.</summary>
public class EvaluationSettings : SeamlessSettings
{
    [CommandOption("--backend <KIND>")]
    [Description("Image backend: a1111 (also Forge), comfyui, embedded, or toy (the quickstart's stand-in; needs a tiny tagger).")]
    [DefaultValue("a1111")]
    public string Backend { get; init; } = "a1111";

    [CommandOption("--url <URL>")]
    [Description("Backend URL (default http://127.0.0.1:7860 for a1111, http://127.0.0.1:8188 for comfyui).")]
    public string? Url { get; init; }

    [CommandOption("--models-dir <DIR>")]
    [Description("The server's checkpoint folder as this machine sees it; candidates are written to its seamless/ subfolder and deleted after use.")]
    public string? ModelsDir { get; init; }

    [CommandOption("--api-auth <USER:PASSWORD>")]
    [Description("HTTP basic auth for the backend (never logged).")]
    public string? ApiAuth { get; init; }

    [CommandOption("--timeout <SECONDS>")]
    [Description("Limit per backend call, generation included (default 600).")]
    [DefaultValue(600.0)]
    public double Timeout { get; init; } = 600;

    [CommandOption("--retries <N>")]
    [Description("Retries of a failed backend call before the evaluation fails (default 4).")]
    [DefaultValue(4)]
    public int Retries { get; init; } = 4;

    [CommandOption("--early-stop <BOOL>")]
    [Description("In a search: stop drawing a candidate once its 95 % interval is below the best score (recorded as pruned). Default true.")]
    [DefaultValue(true)]
    public bool EarlyStop { get; init; } = true;

    [CommandOption("--min-diversity <FLOOR>")]
    [Description("In a search: the least diversity a candidate may keep, absolute (0.1) or a multiple of the base's (0.9x); below it the score is scaled by diversity / floor. Needs --encoder.")]
    public string? MinDiversity { get; init; }

    /// <summary>The parsed <see cref="MinDiversity"/>, when given and valid.</summary>
    public Evaluation.Diversity.DiversityFloor? DiversityFloor => MinDiversity is null ? null : Evaluation.Diversity.DiversityFloor.TryParse(MinDiversity, out _);

    [CommandOption("--set-aside <SECONDS>")]
    [Description("In a search: how long a backend that keeps failing is left alone before it is tried again (default 30, doubling).")]
    [DefaultValue(30.0)]
    public double SetAside { get; init; } = 30;

    [CommandOption("--protocol <NAME>")]
    [Description("Prompt protocol: seamless (default) or rimo, the original benchmark's (RimoChan/stable-diffusion-anime-tag-benchmark: its tag list, prompts, seeds, sampler, size, ML-Danbooru at threshold 0.5 and its 7 categories; fetch its data once with 'seamless protocol fetch rimo').")]
    [DefaultValue("seamless")]
    public string ProtocolName { get; init; } = "seamless";

    /// <summary>The rimo benchmark's protocol was asked for.</summary>
    public bool Rimo => ProtocolName == Evaluation.Protocols.RimoBenchmark.Name;

    [CommandOption("--tagger <PATH>")]
    [Description("Tagger folder (model.onnx + selected_tags.csv, or *.onnx + classes.json) or a tagger.json spec.")]
    public string? Tagger { get; init; }

    [CommandOption("--tagger-cuda")]
    [Description("Run the tagger (and the image encoder) on CUDA (needs the GPU build of ONNX Runtime).")]
    public bool TaggerCuda { get; init; }

    [CommandOption("--vae <VAE>")]
    [Description("The VAE to decode with, as the benchmark set sd_vae per model: a name the server lists (A1111 models/VAE, ComfyUI models/vae; None = the checkpoint's own) or a .safetensors file for the embedded engine. Per model in bench: MODEL=VAE pairs, comma-separated (a1.safetensors=kl-f8-anime2.ckpt,b.safetensors=None); an entry without MODEL= is the default.")]
    public string? Vae { get; init; }

    /// <summary>The VAE for a model file (its name or stem matched), else the default entry; null: the backend's default.</summary>
    public string? VaeFor(string? modelPath)
    {
        if (Vae is null)
        {
            return null;
        }

        string? fallback = null;
        foreach (var entry in Vae.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                fallback = entry;
            }
            else if (modelPath is not null && (entry[..eq] == Path.GetFileName(modelPath) || entry[..eq] == Path.GetFileNameWithoutExtension(modelPath)))
            {
                return entry[(eq + 1)..];
            }
        }

        return fallback;
    }

    /// <summary>The MODEL names of MODEL=VAE entries.</summary>
    public IEnumerable<string> VaeModels() =>
        (Vae ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(e => e.Contains('=', StringComparison.Ordinal)).Select(e => e[..e.IndexOf('=', StringComparison.Ordinal)]);

    [CommandOption("--encoder <PATH>")]
    [Description("Image encoder for diversity (1 − the mean CLIP similarity of consecutive images of a prompt): a folder from 'seamless encoder fetch' or an .onnx file. Without it, diversity is not measured.")]
    public string? Encoder { get; init; }

    [CommandOption("--threshold <P>")]
    [Description("Override the tagger's general-tag threshold.")]
    public double? Threshold { get; init; }

    [CommandOption("--catalog <FILE>")]
    [Description("Tag categories (JSON: category → tags); default: the embedded catalog.")]
    public string? Catalog { get; init; }

    [CommandOption("--pool <FILE>")]
    [Description("Tags to draw prompts from, one per line; default: the tagger's most frequent general tags.")]
    public string? Pool { get; init; }

    [CommandOption("--pool-size <N>")]
    [DefaultValue(1500)]
    public int PoolSize { get; init; } = 1500;

    [CommandOption("--prompts <N>")]
    [DefaultValue(80)]
    public int Prompts { get; init; } = 80;

    [CommandOption("--held-out <N>")]
    [Description("Held-out prompts on which a search re-measures its final choice (default 16; 0 skips it).")]
    [DefaultValue(16)]
    public int HeldOut { get; init; } = 16;

    [CommandOption("--tags-per-prompt <M>")]
    [DefaultValue(32)]
    public int TagsPerPrompt { get; init; } = 32;

    [CommandOption("--images-per-prompt <K>")]
    [DefaultValue(8)]
    public int ImagesPerPrompt { get; init; } = 8;

    [CommandOption("--batch-size <B>")]
    [DefaultValue(4)]
    public int BatchSize { get; init; } = 4;

    [CommandOption("--seed <S>")]
    [DefaultValue(20240601UL)]
    public ulong Seed { get; init; } = 20240601;

    [CommandOption("--width <PX>")]
    [Description("Image width (default 512 for SD1.x, 1024 for SDXL).")]
    public int? Width { get; init; }

    [CommandOption("--height <PX>")]
    public int? Height { get; init; }

    [CommandOption("--steps <N>")]
    [DefaultValue(30)]
    public int Steps { get; init; } = 30;

    [CommandOption("--sampler <NAME>")]
    [DefaultValue("DPM++ 2M")]
    public string Sampler { get; init; } = "DPM++ 2M";

    [CommandOption("--scheduler <NAME>")]
    [DefaultValue("karras")]
    public string Scheduler { get; init; } = "karras";

    [CommandOption("--cfg <SCALE>")]
    [DefaultValue(7.0)]
    public double Cfg { get; init; } = 7;

    [CommandOption("--negative <TEXT>")]
    public string? Negative { get; init; }

    [CommandOption("--prefix <TAGS>")]
    [Description("Comma-separated tags written first and never scored (default 1girl).")]
    [DefaultValue("1girl")]
    public string Prefix { get; init; } = "1girl";

    [CommandOption("--underscores")]
    [Description("Write tags with underscores (long_hair) instead of spaces.")]
    public bool Underscores { get; init; }

    [CommandOption("--vocab <PATH>")]
    [Description("Embedded backend: the CLIP vocabulary (folder with vocab.json + merges.txt, or bpe_simple_vocab_16e6.txt.gz); default: $SEAMLESS_CLIP_VOCAB, the Hugging Face cache, a ComfyUI install. 'byte-level' only for tiny fabricated models.")]
    public string? Vocab { get; init; }

    [CommandOption("--clip-skip <N>")]
    [Description("Embedded backend: 1 uses CLIP's last layer, 2 the penultimate (A1111's clip skip).")]
    [DefaultValue(1)]
    public int ClipSkip { get; init; } = 1;

    [CommandOption("--threads <N>")]
    [Description("Embedded backend: CPU threads (default one per core; 1 is fastest for tiny models).")]
    public int? Threads { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("Embedded backend: cpu (default, fp32), cuda or cuda:N (fp16; needs the CUDA build, docs/engine.md); append /fp32, /fp16 or /bf16 to choose the precision.")]
    public string? Device { get; init; }

    [CommandOption("--cache <DIR>")]
    [Description("Image cache folder (default ~/.cache/seamless/images); 'none' disables it.")]
    public string? Cache { get; init; }

    /// <summary>Problems with these options, all at once (files are checked, servers are not contacted).</summary>
    public List<string> EvaluationProblems()
    {
        var problems = new List<string>();
        if (Backend is not ("a1111" or "forge" or "comfyui" or "embedded" or "toy"))
        {
            problems.Add($"--backend must be a1111, forge, comfyui, embedded or toy (is '{Backend}')");
        }

        if (Backend == "embedded")
        {
            if (Infrastructure.EnginePlugin.Folder() is null)
            {
                problems.Add($"--backend embedded: the engine is not built next to this program (no engine/ folder); build the CLI from the repository or set {Infrastructure.EnginePlugin.EnvironmentVariable}");
            }
        }

        problems.AddRange(Infrastructure.EnginePlugin.OptionProblems(Backend == "embedded" ? Vocab : null, ClipSkip, Threads, Device));

        if (Backend is "a1111" or "forge" or "comfyui" && ModelsDir is null)
        {
            problems.Add("--models-dir is required with a web backend: the server's checkpoint folder, where candidates are written");
        }

        if (Url is not null && !Uri.TryCreate(Url, UriKind.Absolute, out _))
        {
            problems.Add($"--url '{Url}' is not an absolute URL");
        }

        if (ApiAuth is not null && !ApiAuth.Contains(':', StringComparison.Ordinal))
        {
            problems.Add("--api-auth must be USER:PASSWORD");
        }

        if (Tagger is null)
        {
            problems.Add("--tagger is required: a folder with model.onnx + selected_tags.csv (WD) or *.onnx + classes.json (ML-Danbooru)");
        }
        else if (!Directory.Exists(Tagger) && !File.Exists(Tagger))
        {
            problems.Add($"--tagger '{Tagger}' does not exist");
        }

        if (Vae is not null)
        {
            var entries = Vae.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (entries.Length == 0 || entries.Any(e => e.StartsWith('=') || e.EndsWith('=')) || entries.Count(e => !e.Contains('=', StringComparison.Ordinal)) > 1)
            {
                problems.Add($"--vae '{Vae}' is a VAE, or MODEL=VAE pairs with at most one default, comma-separated");
            }
            else if (Backend == "embedded")
            {
                foreach (var vae in entries.Select(e => e[(e.IndexOf('=', StringComparison.Ordinal) + 1)..]).Where(v => !v.Equals("None", StringComparison.OrdinalIgnoreCase) && !File.Exists(v)))
                {
                    problems.Add($"--vae '{vae}' does not exist (the embedded engine reads a .safetensors VAE file)");
                }
            }
            else if (Backend == "toy")
            {
                problems.Add("--vae: the toy backend has no VAE");
            }
        }

        if (MinDiversity is not null)
        {
            if (Evaluation.Diversity.DiversityFloor.TryParse(MinDiversity, out var why) is null)
            {
                problems.Add($"--min-diversity {why}");
            }

            if (Encoder is null)
            {
                problems.Add("--min-diversity needs --encoder: diversity is measured with an image encoder ('seamless encoder fetch')");
            }
        }

        if (Encoder is not null && !Directory.Exists(Encoder) && !File.Exists(Encoder))
        {
            problems.Add($"--encoder '{Encoder}' does not exist; fetch CLIP ViT-B/32's image encoder with 'seamless encoder fetch' (online)");
        }

        foreach (var (file, name) in new[] { (Catalog, "--catalog"), (Pool, "--pool") })
        {
            if (file is not null && !File.Exists(file))
            {
                problems.Add($"{name} '{file}' does not exist");
            }
        }

        if (SetAside < 0)
        {
            problems.Add("--set-aside must be ≥ 0");
        }

        if (Timeout <= 0)
        {
            problems.Add("--timeout must be positive");
        }

        if (Threshold is < 0 or > 1)
        {
            problems.Add("--threshold must be between 0 and 1");
        }

        problems.AddRange(Protocol(Architecture.ModelArchitecture.SD1).Problems().Select(p => "protocol: " + p));
        if (ProtocolName is not ("seamless" or "rimo"))
        {
            problems.Add($"--protocol '{ProtocolName}' is not seamless or rimo");
        }
        else if (Rimo && Infrastructure.ProtocolData.Folder(ProtocolName) is { } folder && !File.Exists(Path.Combine(folder, "common.py")))
        {
            problems.Add($"--protocol rimo: its data is not in {folder}; fetch it once with 'seamless protocol fetch rimo' (online)");
        }

        return problems;
    }

    public Seamless.Evaluation.Prompts.PromptProtocol Protocol(Architecture.ModelArchitecture architecture)
    {
        if (Rimo)
        {
            return Evaluation.Protocols.RimoBenchmark.Protocol;
        }

        var p = new Seamless.Evaluation.Prompts.PromptProtocol
        {
            Prompts = Prompts,
            HeldOutPrompts = HeldOut,
            TagsPerPrompt = TagsPerPrompt,
            ImagesPerPrompt = ImagesPerPrompt,
            BatchSize = BatchSize,
            PoolSize = PoolSize,
            Seed = Seed,
            Steps = Steps,
            Sampler = Sampler,
            Scheduler = Scheduler,
            Cfg = Cfg,
            Underscores = Underscores,
            Prefix = Prefix.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Negative = Negative ?? Seamless.Evaluation.Prompts.PromptProtocol.DefaultNegative,
        }.ForArchitecture(architecture);
        return p with { Width = Width ?? p.Width, Height = Height ?? p.Height };
    }
}
