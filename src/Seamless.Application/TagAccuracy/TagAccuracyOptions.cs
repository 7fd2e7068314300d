using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Seamless.Architecture;
using Seamless.Evaluation.Diversity;
using Seamless.Evaluation.Prompts;
using Seamless.Evaluation.Protocols;

namespace Seamless.Application.TagAccuracy;

/// <summary>
/// Everything a tag-accuracy evaluation is wired from: backend, tagger, encoder and prompt protocol. The one typed home
/// of these options and their defaults: a search configuration's <c>tag_accuracy</c> map binds to it
/// (<see cref="Bind"/>, keys in snake case: <c>models_dir</c>), and the command line's options map onto it by the same
/// names (<c>--models-dir</c>). Protocol defaults come from <see cref="PromptProtocol.Defaults"/>.
/// </summary>
public sealed record TagAccuracyOptions
{
    /// <summary>The non-protocol defaults, as constants (the command line's attributes refer to them).</summary>
    public static class Defaults
    {
        public const string Backend = "a1111";
        public const double Timeout = 600;
        public const int Retries = 4;
        public const bool EarlyStop = true;
        public const double SetAside = 30;
        public const string Protocol = "seamless";
        public const int ClipSkip = 1;
    }

    /// <summary>a1111 (also forge), comfyui, embedded or toy.</summary>
    public string Backend { get; init; } = Defaults.Backend;

    public string? Url { get; init; }

    /// <summary>The server's checkpoint folder as this machine sees it (web backends).</summary>
    public string? ModelsDir { get; init; }

    /// <summary>HTTP basic auth, USER:PASSWORD (never logged).</summary>
    public string? ApiAuth { get; init; }

    /// <summary>Seconds per backend call.</summary>
    public double Timeout { get; init; } = Defaults.Timeout;

    public int Retries { get; init; } = Defaults.Retries;

    /// <summary>In a search: stop drawing a candidate once its interval is below the best score.</summary>
    public bool EarlyStop { get; init; } = Defaults.EarlyStop;

    /// <summary>Absolute (0.1) or relative to the base (0.9x).</summary>
    public string? MinDiversity { get; init; }

    /// <summary>Seconds a failing backend is left alone (doubling).</summary>
    public double SetAside { get; init; } = Defaults.SetAside;

    /// <summary>seamless or rimo.</summary>
    public string Protocol { get; init; } = Defaults.Protocol;

    public string? Tagger { get; init; }

    public bool TaggerCuda { get; init; }

    /// <summary>A VAE, or MODEL=VAE pairs with at most one default, comma-separated.</summary>
    public string? Vae { get; init; }

    public string? Encoder { get; init; }

    public double? Threshold { get; init; }

    public string? Catalog { get; init; }

    public string? Pool { get; init; }

    public int PoolSize { get; init; } = PromptProtocol.Defaults.PoolSize;

    public int Prompts { get; init; } = PromptProtocol.Defaults.Prompts;

    public int HeldOut { get; init; } = PromptProtocol.Defaults.HeldOutPrompts;

    public int TagsPerPrompt { get; init; } = PromptProtocol.Defaults.TagsPerPrompt;

    public int ImagesPerPrompt { get; init; } = PromptProtocol.Defaults.ImagesPerPrompt;

    public int BatchSize { get; init; } = PromptProtocol.Defaults.BatchSize;

    public ulong Seed { get; init; } = PromptProtocol.Defaults.Seed;

    /// <summary>Null: the architecture's default.</summary>
    public int? Width { get; init; }

    public int? Height { get; init; }

    public int Steps { get; init; } = PromptProtocol.Defaults.Steps;

    public string Sampler { get; init; } = PromptProtocol.Defaults.Sampler;

    public string Scheduler { get; init; } = PromptProtocol.Defaults.Scheduler;

    public double Cfg { get; init; } = PromptProtocol.Defaults.Cfg;

    public string? Negative { get; init; }

    /// <summary>Comma-separated tags written first and never scored.</summary>
    public string Prefix { get; init; } = PromptProtocol.Defaults.Prefix;

    public bool Underscores { get; init; }

    public string? Vocab { get; init; }

    public int ClipSkip { get; init; } = Defaults.ClipSkip;

    public int? Threads { get; init; }

    public string? Device { get; init; }

    /// <summary>Image cache folder; "none" disables it.</summary>
    public string? Cache { get; init; }

    /// <summary>The rimo benchmark's protocol was asked for.</summary>
    public bool Rimo => Protocol == RimoBenchmark.Name;

    /// <summary>The parsed <see cref="MinDiversity"/>, when given and valid.</summary>
    public DiversityFloor? DiversityFloor => MinDiversity is null ? null : Seamless.Evaluation.Diversity.DiversityFloor.TryParse(MinDiversity, out _);

    /// <summary>The option names, snake case, by property: the configuration's keys.</summary>
    public static IReadOnlyDictionary<string, PropertyInfo> Keys { get; } = typeof(TagAccuracyOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .ToDictionary(p => SnakeCase(p.Name), p => p, StringComparer.Ordinal);

    /// <summary>
    /// Reads a configuration's <c>tag_accuracy</c> map; every problem (unknown key, unparsable value, invalid option) is
    /// added to <paramref name="problems"/> with the configuration's key names.
    /// </summary>
    public static TagAccuracyOptions Bind(IReadOnlyDictionary<string, string> map, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(problems);
        var options = new TagAccuracyOptions();
        foreach (var (key, text) in map)
        {
            if (!Keys.TryGetValue(key, out var property))
            {
                problems.Add($"tag_accuracy: unknown option '{key}' (known: {string.Join(", ", Keys.Keys.Order(StringComparer.Ordinal))})");
                continue;
            }

            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            try
            {
                object value = type == typeof(string) ? text
                    : type == typeof(bool) ? bool.Parse(text)
                    : Convert.ChangeType(text, type, CultureInfo.InvariantCulture);

                // A record's init-only setter, run once on a fresh instance that nothing else has seen yet.
                property.SetValue(options, value);
            }
            catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
            {
                problems.Add($"tag_accuracy: {key} '{text}' is not a valid {type.Name.ToLowerInvariant()}");
            }
        }

        problems.AddRange(options.Problems().Select(p => "tag_accuracy: " + Regex.Replace(p, "--([a-z-]+)", m => m.Groups[1].Value.Replace('-', '_'))));
        return options;
    }

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

    /// <summary>The prompt protocol these options describe, sized for <paramref name="architecture"/> unless given.</summary>
    public PromptProtocol PromptProtocolFor(ModelArchitecture architecture)
    {
        if (Rimo)
        {
            return RimoBenchmark.Protocol;
        }

        var p = new PromptProtocol
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
            Negative = Negative ?? PromptProtocol.DefaultNegative,
        }.ForArchitecture(architecture);
        return p with { Width = Width ?? p.Width, Height = Height ?? p.Height };
    }

    /// <summary>Problems with these options, all at once, named as command-line options (files are checked, servers are not contacted).</summary>
    public List<string> Problems()
    {
        var problems = new List<string>();
        if (Backend is not ("a1111" or "forge" or "comfyui" or "embedded" or "toy"))
        {
            problems.Add($"--backend must be a1111, forge, comfyui, embedded or toy (is '{Backend}')");
        }

        if (Backend == "embedded" && EnginePlugin.Folder() is null)
        {
            problems.Add($"--backend embedded: the engine is not built next to this program (no engine/ folder); build the CLI from the repository or set {EnginePlugin.EnvironmentVariable}");
        }

        problems.AddRange(EnginePlugin.OptionProblems(Backend == "embedded" ? Vocab : null, ClipSkip, Threads, Device));

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
            if (Seamless.Evaluation.Diversity.DiversityFloor.TryParse(MinDiversity, out var why) is null)
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

        problems.AddRange(PromptProtocolFor(ModelArchitecture.SD1).Problems().Select(p => "protocol: " + p));
        if (Protocol is not ("seamless" or "rimo"))
        {
            problems.Add($"--protocol '{Protocol}' is not seamless or rimo");
        }
        else if (Rimo && ProtocolData.Folder(Protocol) is { } folder && !File.Exists(Path.Combine(folder, "common.py")))
        {
            problems.Add($"--protocol rimo: its data is not in {folder}; fetch it once with 'seamless protocol fetch rimo' (online)");
        }

        return problems;
    }

    private static string SnakeCase(string name)
    {
        var s = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && s.Length > 0)
            {
                s.Append('_');
            }

            s.Append(char.ToLowerInvariant(c));
        }

        return s.ToString();
    }
}
