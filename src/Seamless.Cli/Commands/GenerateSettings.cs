using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class GenerateSettings : SeamlessSettings
{
    [CommandOption("-m|--model <FILE>")]
    [Description("An SD1.x or SDXL checkpoint (.safetensors).")]
    public string? Model { get; init; }

    [CommandOption("-p|--prompt <TEXT>")]
    [Description("The prompt; A1111 emphasis (tag:1.2), (tag), [[tag]] and BREAK are understood.")]
    public string Prompt { get; init; } = string.Empty;

    [CommandOption("-n|--negative <TEXT>")]
    public string Negative { get; init; } = string.Empty;

    [CommandOption("--sampler <NAME>")]
    [Description("Euler, Euler a or DPM++ 2M.")]
    [DefaultValue("DPM++ 2M")]
    public string Sampler { get; init; } = "DPM++ 2M";

    [CommandOption("--scheduler <NAME>")]
    [Description("Automatic (the sampler's A1111 default), Karras or Normal.")]
    [DefaultValue("Automatic")]
    public string Scheduler { get; init; } = "Automatic";

    [CommandOption("--steps <N>")]
    [DefaultValue(20)]
    public int Steps { get; init; } = 20;

    [CommandOption("--cfg <SCALE>")]
    [DefaultValue(7.0)]
    public double Cfg { get; init; } = 7;

    [CommandOption("--seed <S>")]
    [Description("Noise seed; the same seed gives the same image (as A1111 with its CPU generator).")]
    [DefaultValue(1L)]
    public long Seed { get; init; } = 1;

    [CommandOption("--width <PX>")]
    [DefaultValue(512)]
    public int Width { get; init; } = 512;

    [CommandOption("--height <PX>")]
    [DefaultValue(512)]
    public int Height { get; init; } = 512;

    [CommandOption("--vocab <PATH>")]
    [Description("CLIP vocabulary (folder with vocab.json + merges.txt, or bpe_simple_vocab_16e6.txt.gz); default: $SEAMLESS_CLIP_VOCAB, the Hugging Face cache, a ComfyUI install. 'byte-level' for tiny fabricated models only.")]
    public string? Vocab { get; init; }

    [CommandOption("--clip-skip <N>")]
    [DefaultValue(1)]
    public int ClipSkip { get; init; } = 1;

    [CommandOption("--threads <N>")]
    [Description("CPU threads for the engine (default: one per core).")]
    public int? Threads { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("cpu (default, fp32), cuda or cuda:N (fp16; needs the CUDA build, docs/engine.md); append /fp32, /fp16 or /bf16 to choose the precision.")]
    public string? Device { get; init; }

    [CommandOption("-o|--out <FILE>")]
    [Description("The PNG to write.")]
    public string? Out { get; init; }

    protected override ValidationResult Check()
    {
        var problems = new List<string>();
        if (Model is null)
        {
            problems.Add("--model is required");
        }
        else if (!File.Exists(Model))
        {
            problems.Add($"--model '{Model}' does not exist");
        }

        if (Out is null)
        {
            problems.Add("--out is required (a .png file)");
        }
        else if (Path.GetDirectoryName(Path.GetFullPath(Out)) is { } dir && !Directory.Exists(dir))
        {
            problems.Add($"--out: folder '{dir}' does not exist");
        }

        if (Width <= 0 || Height <= 0 || Width % 64 != 0 || Height % 64 != 0)
        {
            problems.Add($"--width and --height must be positive multiples of 64 (are {Width}×{Height})");
        }

        if (Steps < 1)
        {
            problems.Add("--steps must be ≥ 1");
        }

        problems.AddRange(Seamless.Application.TagAccuracy.EnginePlugin.OptionProblems(Vocab, ClipSkip, Threads, Device));

        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join("; ", problems));
    }
}
