using Seamless.Architecture;
using Seamless.Errors;
using Seamless.Merging;
using Seamless.Safetensors;

namespace Seamless.Search.Merges.Configuration;

/// <summary>
/// Checks what a <see cref="SearchDocument"/>'s values mean — models (headers opened, one architecture), blocks and
/// their bounds, fixed values and probes against the parameters, the optimiser, the objective's program — and builds
/// the <see cref="MergeSearchConfig"/>, with relative paths resolved against the configuration's folder. Every problem
/// found, with those the reader found, goes into one error.
/// </summary>
public static class MergeSearchConfigBuilder
{
    /// <summary>The original system's default bounds.</summary>
    public static readonly WeightBounds DefaultBounds = new(-0.05, 0.25);

    public static readonly IReadOnlyList<string> Optimizers = ["gp", "gp-ucb", "quasirandom", "random"];

    /// <summary>Path-valued options of the built-in objective, resolved against the configuration's folder.</summary>
    private static readonly string[] TagAccuracyPaths = ["tagger", "encoder", "models_dir", "catalog", "pool", "cache"];

    /// <param name="path">The configuration file: relative paths are resolved against its folder, and errors name it.</param>
    /// <param name="problems">The reader's problems; this adds its own and throws when there are any.</param>
    public static MergeSearchConfig Build(SearchDocument document, string path, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(problems);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string Resolve(string p) => Path.GetFullPath(Path.IsPathRooted(p) ? p : Path.Combine(folder, p));

        var basePath = document.Base is { } b ? Resolve(b) : null;
        if (basePath is null)
        {
            problems.Add("'base' is missing");
        }

        var models = document.Models?.Select(Resolve).ToList() ?? [];
        var rounds = document.Rounds is { } r
            ? new RoundPlan(r.Count ?? 1, [.. r.Pool.Select(Resolve)], r.Trials ?? 20, r.Folder ?? string.Empty, r.NextBase ?? NextBaseRule.Recommended)
            : null;
        if (rounds is not null && models.Count > 0)
        {
            problems.Add("give either 'models' (one search) or 'rounds' with a pool, not both");
        }
        else if (rounds is not null)
        {
            models = [.. rounds.Pool];
        }
        else if (models.Count == 0)
        {
            problems.Add("'models' must list at least one model to merge into the base");
        }

        var architecture = CheckModels(basePath, models, problems);
        var blockMap = document.BlockMap is { } written
            ? RecipeLoader.ReadBlockMap(new Dictionary<object, object> { ["block_map"] = written.ToDictionary(p => (object)p.Key, p => (object)p.Value) }, [])
            : BlockMapOptions.Default;
        var original = document.Blocks?.IsOriginal == true;
        if (original)
        {
            if (document.BlockMap is not null)
            {
                problems.Add($"blocks: {OriginalSearchSpace.Name} sets the block map itself ({OriginalSearchSpace.BlockMap.Describe()}); remove 'block_map'");
            }

            if (document.BlockBounds is not null)
            {
                problems.Add($"blocks: {OriginalSearchSpace.Name} searches every group within 'bounds'; remove 'block_bounds'");
            }

            blockMap = OriginalSearchSpace.BlockMap;
        }

        var layout = architecture is { } arch ? BlockMap.LayoutOf(arch, blockMap) : null;
        var bounds = document.Bounds ?? DefaultBounds;
        List<BlockGroup> groups = [];
        if (layout is not null && !original)
        {
            groups = Groups(document.Blocks ?? BlockSelection.All, document.BlockBounds, layout, bounds, problems);
        }
        else if (layout is not null && layout.InBlocks == 12)
        {
            groups = [.. OriginalSearchSpace.Groups(layout, (bounds.Low, bounds.High))];
        }
        else if (layout is not null)
        {
            problems.Add($"blocks: {OriginalSearchSpace.Name} is the original's SD1 grouping (12 input and 12 output blocks in pairs); {layout.Architecture} has {layout.InBlocks} and {layout.OutBlocks}: list its groups under 'blocks' instead");
        }

        var tagAccuracy = TagAccuracy(document.Objective, Resolve);
        var objective = tagAccuracy is null ? Command(document.Objective, problems) : "tag-accuracy (built in)";
        var optimizer = document.Optimizer ?? "gp";
        if (!Optimizers.Contains(optimizer))
        {
            problems.Add($"optimizer '{optimizer}' is not gp, gp-ucb, quasirandom or random");
        }

        var method = document.Method ?? "weighted_sum";
        if (method != "weighted_sum")
        {
            problems.Add($"method '{method}': a search merges with weighted_sum");
        }

        var dtypeText = document.OutputDtype ?? "fp16";
        if (!DTypeExtensions.TryParseUserName(dtypeText, out var dtype))
        {
            problems.Add($"output_dtype '{dtypeText}' is not fp16, bf16 or fp32");
        }

        var constraint = document.Constraint ?? "none";
        if (constraint is not ("none" or "sum_le_1"))
        {
            problems.Add($"constraint '{constraint}' is not none or sum_le_1 (Σ of the models' weights per block ≤ 1)");
        }

        var name = document.Name ?? Path.GetFileNameWithoutExtension(path);
        if (rounds is not null)
        {
            rounds = rounds with { Folder = Resolve(rounds.Folder.Length > 0 ? rounds.Folder : $"{name}-rounds") };
            if (document.Probes is not null || document.Fixed is not null)
            {
                problems.Add("with 'rounds', each round probes the base (zeros) and nothing is fixed: remove 'probes' and 'fixed'");
            }
        }

        var storageText = document.Storage ?? "seamless-studies.db";
        var storage = storageText.Contains("://", StringComparison.Ordinal) ? storageText : Resolve(storageText);
        var work = Resolve(document.Work ?? $"{name}-work");
        var fixedValues = document.Fixed ?? new Dictionary<string, double>(StringComparer.Ordinal);
        var config = new MergeSearchConfig(name, storage, basePath ?? string.Empty, models, "weighted_sum", dtype, blockMap, groups, fixedValues, [],
            objective ?? string.Empty, document.Objective?.TimeoutSeconds, optimizer, document.Budget ?? 50, document.Seed ?? 0, work, architecture ?? ModelArchitecture.SD1,
            constraint == "sum_le_1", document.KeepBest ?? 0, rounds, document.Fidelity, tagAccuracy);

        var parameterNames = models.SelectMany(m => groups.Select(g => MergeSearchSpace.ParameterName(m, g))).ToHashSet(StringComparer.Ordinal);
        foreach (var key in fixedValues.Keys.Where(k => !parameterNames.Contains(k)))
        {
            problems.Add($"fixed '{key}' is not a parameter (parameters are MODEL:GROUP, e.g. {parameterNames.FirstOrDefault() ?? "b:IN04"})");
        }

        var probes = rounds is null ? Probes(document.Probes, config, problems) : [];
        if (problems.Count > 0)
        {
            throw new RecipeException(path, problems);
        }

        return config with { Probes = probes };
    }

    private static ModelArchitecture? CheckModels(string? basePath, List<string> models, List<string> problems)
    {
        ModelArchitecture? first = null;
        foreach (var path in new[] { basePath }.Concat(models).OfType<string>())
        {
            try
            {
                using var file = SafetensorsFile.Open(path);
                var arch = ArchitectureDetector.Detect(file);
                if (first is { } f && f != arch)
                {
                    problems.Add($"{path} is {arch} but the base is {f}");
                }

                first ??= arch;
            }
            catch (SeamlessException e)
            {
                problems.Add(e.Message);
            }
        }

        return first;
    }

    private static List<BlockGroup> Groups(BlockSelection selection, IReadOnlyDictionary<string, WeightBounds>? special, BlockLayout layout, WeightBounds bounds, List<string> problems)
    {
        var entries = selection.Preset == BlockSelection.All.Preset ? layout.StandardBlocks.ToList() : selection.Entries.ToList();
        if (entries.Count == 0)
        {
            problems.Add("'blocks' names no block to search: list some, such as [IN00-IN03, M00], or write 'all'");
        }
        var groups = new List<BlockGroup>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var blocks = Expand(entry, layout);
            if (blocks is null)
            {
                problems.Add($"block '{entry}' is not a {layout.Architecture} block or range (blocks: BASE, IN00…IN{layout.InBlocks - 1:00}, M00, OUT00…{layout.LastOut})");
                continue;
            }

            foreach (var twice in blocks.Where(x => !used.Add(x)))
            {
                problems.Add($"block {twice} is searched twice");
            }

            var label = blocks.Count == 1 ? blocks[0] : $"{blocks[0]}-{blocks[^1]}";
            var own = special is not null && (special.TryGetValue(entry, out var s) || special.TryGetValue(label, out s)) ? s : bounds;
            groups.Add(new BlockGroup(label, blocks, own.Low, own.High));
        }

        return groups;
    }

    private static List<string>? Expand(string entry, BlockLayout layout)
    {
        var dash = entry.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            var block = BlockLayout.Normalize(entry);
            return block is not null && layout.Contains(block) ? [block] : null;
        }

        var from = BlockLayout.Normalize(entry[..dash]);
        var to = BlockLayout.Normalize(entry[(dash + 1)..]);
        int fi = from is null ? -1 : layout.IndexOf(from), ti = to is null ? -1 : layout.IndexOf(to);
        return fi < 0 || ti < fi ? null : layout.Blocks.Skip(fi).Take(ti - fi + 1).ToList();
    }

    /// <summary>The built-in objective's options, paths resolved; null when the objective is a command.</summary>
    private static Dictionary<string, string>? TagAccuracy(ObjectiveDocument? objective, Func<string, string> resolve)
    {
        if (objective?.TagAccuracy is not { } options)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, written) in options)
        {
            var items = written;
            if (TagAccuracyPaths.Contains(key))
            {
                items = [.. items.Select(x => x == "none" || x.Contains("://", StringComparison.Ordinal) ? x : resolve(x))];
            }
            else if (key == "vae")
            {
                // A file beside the config (the embedded engine's) becomes a full path; a name the server lists stays a name.
                items = [.. items.Select(x => File.Exists(resolve(x)) ? resolve(x) : x)];
            }

            result[key] = string.Join(",", items);
        }

        return result;
    }

    private static string? Command(ObjectiveDocument? objective, List<string> problems)
    {
        if (objective?.Command is not { } command)
        {
            problems.Add("'objective' needs a command: {command: \"python3 score.py\", timeout: 600}");
            return null;
        }

        var program = command.TrimStart().Split([' ', '\t', ';', '|', '&'], 2)[0];
        if (!ProgramExists(program))
        {
            problems.Add($"objective command '{program}' is not found on PATH");
        }

        return command;
    }

    /// <summary>True when <paramref name="program"/> is a path to a file, a shell builtin or on PATH.</summary>
    public static bool ProgramExists(string program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Length == 0 || program.Contains('=', StringComparison.Ordinal))
        {
            return true;
        }

        using var check = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "command -v \"$0\" >/dev/null", program }, UseShellExecute = false })!;
        check.WaitForExit();
        return check.ExitCode == 0;
    }

    private static List<IReadOnlyDictionary<string, double>> Probes(IReadOnlyList<ProbeSpec>? written, MergeSearchConfig config, List<string> problems)
    {
        var space = MergeSearchSpace.Build(config);
        var probes = new List<IReadOnlyDictionary<string, double>>();
        // By default the base first, and each input model alone where weight 1 is within every bound: a user's first
        // question is whether the merge beats its inputs, and the report's reference columns are those probes.
        var defaults = space.Parameters.Count > 0 && space.Parameters.All(p => p.Low <= 0 && p.High >= 1) ? new[] { ProbeSpec.Of(ProbeSpec.Zeros), ProbeSpec.Of(ProbeSpec.Models) } : [ProbeSpec.Of(ProbeSpec.Zeros)];
        foreach (var probe in written ?? defaults)
        {
            if (probe.Named == ProbeSpec.Zeros)
            {
                if (space.Parameters.All(p => p.Low <= 0 && p.High >= 0))
                {
                    probes.Add(space.Parameters.ToDictionary(p => p.Name, _ => 0.0, StringComparer.Ordinal));
                }
                else if (written is not null)
                {
                    problems.Add("probe 'zeros' is outside the bounds of some parameter");
                }
            }
            else if (probe.Named == ProbeSpec.Models && config.Groups.Count > 0)
            {
                // Each input model alone: its weights 1 in every searched group, the others 0.
                foreach (var model in config.Models)
                {
                    var prefix = MergeSearchSpace.ParameterName(model, config.Groups[0]).Split(':')[0] + ":";
                    var values = space.Parameters.ToDictionary(p => p.Name, p => p.Name.StartsWith(prefix, StringComparison.Ordinal) ? 1.0 : 0.0, StringComparer.Ordinal);
                    if (space.Parameters.Any(p => values[p.Name] < p.Low || values[p.Name] > p.High))
                    {
                        problems.Add($"probe 'models' needs weight 1 and 0 within the bounds (for {Path.GetFileName(model)})");
                        break;
                    }

                    probes.Add(values);
                }
            }
            else if (probe.Point is { } point)
            {
                var values = space.Parameters.ToDictionary(p => p.Name, _ => 0.0, StringComparer.Ordinal);
                foreach (var (k, x) in point)
                {
                    var p = space.Parameters.FirstOrDefault(p => p.Name == k);
                    if (p is null || x < p.Low || x > p.High)
                    {
                        problems.Add($"probe value '{k}: {x.ToString(System.Globalization.CultureInfo.InvariantCulture)}' is not a searched parameter within its bounds");
                        continue;
                    }

                    values[p.Name] = x;
                }

                probes.Add(values);
            }
        }

        return probes;
    }
}
