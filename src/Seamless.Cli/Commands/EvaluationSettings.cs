using System.ComponentModel;
using Seamless.Application.TagAccuracy;
using Seamless.Evaluation.Prompts;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary>The options every tag-accuracy command shares: backend, tagger and prompt protocol.</summary>
public class EvaluationSettings : SeamlessSettings
{
    [CommandOption("--backend <KIND>")]
    [Description("Image backend: a1111 (also Forge), comfyui, embedded, or toy (the quickstart's stand-in; needs a tiny tagger).")]
    [DefaultValue(TagAccuracyOptions.Defaults.Backend)]
    public string Backend { get; init; } = TagAccuracyOptions.Defaults.Backend;

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
    [DefaultValue(TagAccuracyOptions.Defaults.Timeout)]
    public double Timeout { get; init; } = TagAccuracyOptions.Defaults.Timeout;

    [CommandOption("--retries <N>")]
    [Description("Retries of a failed backend call before the evaluation fails (default 4).")]
    [DefaultValue(TagAccuracyOptions.Defaults.Retries)]
    public int Retries { get; init; } = TagAccuracyOptions.Defaults.Retries;

    [CommandOption("--early-stop <BOOL>")]
    [Description("In a search: stop drawing a candidate once its 95 % interval is below the best score (recorded as pruned). Default true.")]
    [DefaultValue(TagAccuracyOptions.Defaults.EarlyStop)]
    public bool EarlyStop { get; init; } = TagAccuracyOptions.Defaults.EarlyStop;

    [CommandOption("--min-diversity <FLOOR>")]
    [Description("In a search: the least diversity a candidate may keep, absolute (0.1) or a multiple of the base's (0.9x); below it the score is scaled by diversity / floor. Needs --encoder.")]
    public string? MinDiversity { get; init; }

    [CommandOption("--set-aside <SECONDS>")]
    [Description("In a search: how long a backend that keeps failing is left alone before it is tried again (default 30, doubling).")]
    [DefaultValue(TagAccuracyOptions.Defaults.SetAside)]
    public double SetAside { get; init; } = TagAccuracyOptions.Defaults.SetAside;

    [CommandOption("--protocol <NAME>")]
    [Description("Prompt protocol: seamless (default) or rimo, the original benchmark's (RimoChan/stable-diffusion-anime-tag-benchmark: its tag list, prompts, seeds, sampler, size, ML-Danbooru at threshold 0.5 and its 7 categories; fetch its data once with 'seamless protocol fetch rimo').")]
    [DefaultValue(TagAccuracyOptions.Defaults.Protocol)]
    public string ProtocolName { get; init; } = TagAccuracyOptions.Defaults.Protocol;

    [CommandOption("--tagger <PATH>")]
    [Description("Tagger folder (model.onnx + selected_tags.csv, or *.onnx + classes.json) or a tagger.json spec.")]
    public string? Tagger { get; init; }

    [CommandOption("--tagger-cuda")]
    [Description("Run the tagger (and the image encoder) on CUDA (needs the GPU build of ONNX Runtime).")]
    public bool TaggerCuda { get; init; }

    [CommandOption("--vae <VAE>")]
    [Description("The VAE to decode with, as the benchmark set sd_vae per model: a name the server lists (A1111 models/VAE, ComfyUI models/vae; None = the checkpoint's own) or a .safetensors file for the embedded engine. Per model in bench: MODEL=VAE pairs, comma-separated (a1.safetensors=kl-f8-anime2.ckpt,b.safetensors=None); an entry without MODEL= is the default.")]
    public string? Vae { get; init; }

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
    [DefaultValue(PromptProtocol.Defaults.PoolSize)]
    public int PoolSize { get; init; } = PromptProtocol.Defaults.PoolSize;

    [CommandOption("--prompts <N>")]
    [DefaultValue(PromptProtocol.Defaults.Prompts)]
    public int Prompts { get; init; } = PromptProtocol.Defaults.Prompts;

    [CommandOption("--held-out <N>")]
    [Description("Held-out prompts on which a search re-measures its final choice (default 16; 0 skips it).")]
    [DefaultValue(PromptProtocol.Defaults.HeldOutPrompts)]
    public int HeldOut { get; init; } = PromptProtocol.Defaults.HeldOutPrompts;

    [CommandOption("--tags-per-prompt <M>")]
    [DefaultValue(PromptProtocol.Defaults.TagsPerPrompt)]
    public int TagsPerPrompt { get; init; } = PromptProtocol.Defaults.TagsPerPrompt;

    [CommandOption("--images-per-prompt <K>")]
    [DefaultValue(PromptProtocol.Defaults.ImagesPerPrompt)]
    public int ImagesPerPrompt { get; init; } = PromptProtocol.Defaults.ImagesPerPrompt;

    [CommandOption("--batch-size <B>")]
    [DefaultValue(PromptProtocol.Defaults.BatchSize)]
    public int BatchSize { get; init; } = PromptProtocol.Defaults.BatchSize;

    [CommandOption("--seed <S>")]
    [DefaultValue(PromptProtocol.Defaults.Seed)]
    public ulong Seed { get; init; } = PromptProtocol.Defaults.Seed;

    [CommandOption("--width <PX>")]
    [Description("Image width (default 512 for SD1.x, 1024 for SDXL).")]
    public int? Width { get; init; }

    [CommandOption("--height <PX>")]
    public int? Height { get; init; }

    [CommandOption("--steps <N>")]
    [DefaultValue(PromptProtocol.Defaults.Steps)]
    public int Steps { get; init; } = PromptProtocol.Defaults.Steps;

    [CommandOption("--sampler <NAME>")]
    [DefaultValue(PromptProtocol.Defaults.Sampler)]
    public string Sampler { get; init; } = PromptProtocol.Defaults.Sampler;

    [CommandOption("--scheduler <NAME>")]
    [DefaultValue(PromptProtocol.Defaults.Scheduler)]
    public string Scheduler { get; init; } = PromptProtocol.Defaults.Scheduler;

    [CommandOption("--cfg <SCALE>")]
    [DefaultValue(PromptProtocol.Defaults.Cfg)]
    public double Cfg { get; init; } = PromptProtocol.Defaults.Cfg;

    [CommandOption("--negative <TEXT>")]
    public string? Negative { get; init; }

    [CommandOption("--prefix <TAGS>")]
    [Description("Comma-separated tags written first and never scored (default 1girl).")]
    [DefaultValue(PromptProtocol.Defaults.Prefix)]
    public string Prefix { get; init; } = PromptProtocol.Defaults.Prefix;

    [CommandOption("--underscores")]
    [Description("Write tags with underscores (long_hair) instead of spaces.")]
    public bool Underscores { get; init; }

    [CommandOption("--vocab <PATH>")]
    [Description("Embedded backend: the CLIP vocabulary (folder with vocab.json + merges.txt, or bpe_simple_vocab_16e6.txt.gz); default: $SEAMLESS_CLIP_VOCAB, the Hugging Face cache, a ComfyUI install. 'byte-level' only for tiny fabricated models.")]
    public string? Vocab { get; init; }

    [CommandOption("--clip-skip <N>")]
    [Description("Embedded backend: 1 uses CLIP's last layer, 2 the penultimate (A1111's clip skip).")]
    [DefaultValue(TagAccuracyOptions.Defaults.ClipSkip)]
    public int ClipSkip { get; init; } = TagAccuracyOptions.Defaults.ClipSkip;

    [CommandOption("--threads <N>")]
    [Description("Embedded backend: CPU threads (default one per core; 1 is fastest for tiny models).")]
    public int? Threads { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("Embedded backend: cpu (default, fp32), cuda or cuda:N (fp16; needs the CUDA build, docs/engine.md); append /fp32, /fp16 or /bf16 to choose the precision.")]
    public string? Device { get; init; }

    [CommandOption("--cache <DIR>")]
    [Description("Image cache folder (default ~/.cache/seamless/images); 'none' disables it.")]
    public string? Cache { get; init; }

    /// <summary>The typed options these command-line options describe (the same names, snake case in configurations).</summary>
    public TagAccuracyOptions ToOptions() => new()
    {
        Backend = Backend,
        Url = Url,
        ModelsDir = ModelsDir,
        ApiAuth = ApiAuth,
        Timeout = Timeout,
        Retries = Retries,
        EarlyStop = EarlyStop,
        MinDiversity = MinDiversity,
        SetAside = SetAside,
        Protocol = ProtocolName,
        Tagger = Tagger,
        TaggerCuda = TaggerCuda,
        Vae = Vae,
        Encoder = Encoder,
        Threshold = Threshold,
        Catalog = Catalog,
        Pool = Pool,
        PoolSize = PoolSize,
        Prompts = Prompts,
        HeldOut = HeldOut,
        TagsPerPrompt = TagsPerPrompt,
        ImagesPerPrompt = ImagesPerPrompt,
        BatchSize = BatchSize,
        Seed = Seed,
        Width = Width,
        Height = Height,
        Steps = Steps,
        Sampler = Sampler,
        Scheduler = Scheduler,
        Cfg = Cfg,
        Negative = Negative,
        Prefix = Prefix,
        Underscores = Underscores,
        Vocab = Vocab,
        ClipSkip = ClipSkip,
        Threads = Threads,
        Device = Device,
        Cache = Cache,
    };
}
