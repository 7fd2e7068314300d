namespace Seamless.Evaluation.Prompts;

/// <summary>
/// The tag-accuracy protocol (the original system's, every knob exposed). Prompts are <see cref="Prefix"/> followed by
/// <see cref="TagsPerPrompt"/> tags drawn without replacement from the pool; each prompt is drawn
/// <see cref="ImagesPerPrompt"/> times with seeds <c>seed, seed+1, …</c>. The same prompts and seeds serve every
/// candidate of a study (common random numbers); <see cref="HeldOutPrompts"/> more, from an independent stream,
/// are used only to report the final choice.
/// </summary>
public sealed record PromptProtocol
{
    public const string DefaultNegative =
        "lowres, bad anatomy, bad hands, text, error, missing fingers, extra digit, fewer digits, cropped, worst quality, low quality, normal quality, jpeg artifacts, signature, watermark, username, blurry";

    /// <summary>
    /// The protocol's defaults, as constants: the one home of these numbers, which command-line attributes and the
    /// application's <c>TagAccuracyOptions</c> refer to instead of repeating them.
    /// </summary>
    public static class Defaults
    {
        public const int Prompts = 80;
        public const int HeldOutPrompts = 16;
        public const int TagsPerPrompt = 32;
        public const int ImagesPerPrompt = 8;
        public const int BatchSize = 4;
        public const int PoolSize = 1500;
        public const ulong Seed = 20240601;
        public const string Prefix = "1girl";

        /// <summary>Width and height for SD1.x/SD2 (SDXL: <see cref="SdxlSide"/>).</summary>
        public const int Side = 512;
        public const int SdxlSide = 1024;
        public const int Steps = 30;
        public const string Sampler = "DPM++ 2M";
        public const string Scheduler = "karras";
        public const double Cfg = 7;
    }

    public int Prompts { get; init; } = Defaults.Prompts;

    public int HeldOutPrompts { get; init; } = Defaults.HeldOutPrompts;

    public int TagsPerPrompt { get; init; } = Defaults.TagsPerPrompt;

    public int ImagesPerPrompt { get; init; } = Defaults.ImagesPerPrompt;

    /// <summary>Images per backend call (A1111 <c>batch_size</c>); calls per prompt = ⌈images / batch⌉.</summary>
    public int BatchSize { get; init; } = Defaults.BatchSize;

    public int PoolSize { get; init; } = Defaults.PoolSize;

    public ulong Seed { get; init; } = Defaults.Seed;

    /// <summary>Tags written before the drawn ones; they are never drawn and never scored.</summary>
    public IReadOnlyList<string> Prefix { get; init; } = [Defaults.Prefix];

    public string Negative { get; init; } = DefaultNegative;

    public string Joiner { get; init; } = ", ";

    /// <summary>Write tags with underscores (<c>long_hair</c>) instead of spaces.</summary>
    public bool Underscores { get; init; }

    public int Width { get; init; } = Defaults.Side;

    public int Height { get; init; } = Defaults.Side;

    public int Steps { get; init; } = Defaults.Steps;

    /// <summary>Sampler in A1111 naming (<c>DPM++ 2M</c>, <c>Euler a</c>, <c>Euler</c>); backends translate.</summary>
    public string Sampler { get; init; } = Defaults.Sampler;

    public string Scheduler { get; init; } = Defaults.Scheduler;

    public double Cfg { get; init; } = Defaults.Cfg;

    /// <summary>How tags are drawn: Seamless's own streams, or CPython's <c>random.Random(TagsSeed).sample</c> as the rimo benchmark draws them.</summary>
    public TagDraw Draw { get; init; } = TagDraw.Streams;

    /// <summary>With <see cref="TagDraw.CPython"/>: the seed of the generator each prompt set starts from.</summary>
    public int TagsSeed { get; init; }

    /// <summary>Size defaults by architecture: 512² for SD1.x/SD2, 1024² for SDXL.</summary>
    public PromptProtocol ForArchitecture(Seamless.Architecture.ModelArchitecture architecture) =>
        architecture == Seamless.Architecture.ModelArchitecture.SDXL ? this with { Width = Defaults.SdxlSide, Height = Defaults.SdxlSide } : this;

    /// <summary>Every problem with the protocol at once (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Positive(int v, string name)
        {
            if (v <= 0)
            {
                problems.Add($"{name} must be positive (is {v})");
            }
        }

        Positive(Prompts, "prompts");
        Positive(TagsPerPrompt, "tags per prompt");
        Positive(ImagesPerPrompt, "images per prompt");
        Positive(BatchSize, "batch size");
        Positive(PoolSize, "pool size");
        Positive(Steps, "steps");
        if (HeldOutPrompts < 0)
        {
            problems.Add($"held-out prompts must be ≥ 0 (is {HeldOutPrompts})");
        }

        if (Width % 8 != 0 || Height % 8 != 0 || Width <= 0 || Height <= 0)
        {
            problems.Add($"image size {Width}×{Height} must be positive multiples of 8");
        }

        if (Cfg < 0)
        {
            problems.Add($"cfg must be ≥ 0 (is {Cfg})");
        }

        return problems;
    }
}
