using System.Globalization;
using Seamless.Architecture;
using Seamless.Errors;
using Seamless.Merging;
using Seamless.Safetensors;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Seamless.Search.Merges;

/// <summary>
/// Reads a search configuration (YAML or JSON) and validates everything that can be checked before the first
/// trial — keys, models (headers opened, one architecture), blocks, bounds, fixed values, probes, the objective
/// program — reporting every problem in one error.
/// </summary>
public static class MergeSearchConfigLoader
{
    private static readonly HashSet<string> Keys =
    [
        "name", "storage", "base", "models", "method", "output_dtype", "block_map", "blocks", "bounds", "block_bounds",
        "fixed", "probes", "objective", "optimizer", "budget", "seed", "work", "constraint", "keep_best", "rounds", "fidelity",
    ];

    /// <summary>The original system's default bounds.</summary>
    public static readonly (double Low, double High) DefaultBounds = (-0.05, 0.25);

    public static MergeSearchConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new RecipeException(path, "search configuration not found");
        }

        object? root;
        try
        {
            root = new DeserializerBuilder().Build().Deserialize<object>(File.ReadAllText(path));
        }
        catch (YamlException e)
        {
            throw new RecipeException(path, $"not valid YAML/JSON at line {e.Start.Line}: {e.Message}");
        }

        if (root is not Dictionary<object, object> map)
        {
            throw new RecipeException(path, "a search configuration is a mapping (base, models, objective, budget…)");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var problems = new List<string>();
        foreach (var key in map.Keys.Select(k => k.ToString()!).Where(k => !Keys.Contains(k)))
        {
            problems.Add($"unknown key '{key}'");
        }

        string? Text(string key) => map.TryGetValue(key, out var v) && v is string s && s.Length > 0 ? s : null;
        string Resolve(string p) => Path.GetFullPath(Path.IsPathRooted(p) ? p : Path.Combine(folder, p));

        var basePath = Text("base") is { } b ? Resolve(b) : null;
        if (basePath is null)
        {
            problems.Add("'base' is missing");
        }

        var models = map.TryGetValue("models", out var mv) && mv is List<object> list ? list.Select(x => Resolve(x.ToString()!)).ToList() : [];
        var rounds = ReadRounds(map.GetValueOrDefault("rounds"), Resolve, problems);
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
        var blockMap = RecipeLoader.ReadBlockMap(map, problems);
        var original = map.GetValueOrDefault("blocks") is OriginalSearchSpace.Name;
        if (original)
        {
            if (map.ContainsKey("block_map"))
            {
                problems.Add($"blocks: {OriginalSearchSpace.Name} sets the block map itself ({OriginalSearchSpace.BlockMap.Describe()}); remove 'block_map'");
            }

            if (map.ContainsKey("block_bounds"))
            {
                problems.Add($"blocks: {OriginalSearchSpace.Name} searches every group within 'bounds'; remove 'block_bounds'");
            }

            blockMap = OriginalSearchSpace.BlockMap;
        }

        var layout = architecture is { } arch ? BlockMap.LayoutOf(arch, blockMap) : null;
        var bounds = ReadBounds(map.GetValueOrDefault("bounds"), "bounds", problems) ?? DefaultBounds;
        List<BlockGroup> groups = [];
        if (layout is not null && !original)
        {
            groups = ReadGroups(map.GetValueOrDefault("blocks"), map.GetValueOrDefault("block_bounds"), layout, bounds, problems);
        }
        else if (layout is not null && layout.InBlocks == 12)
        {
            groups = [.. OriginalSearchSpace.Groups(layout, bounds)];
        }
        else if (layout is not null)
        {
            problems.Add($"blocks: {OriginalSearchSpace.Name} is the original's SD1 grouping (12 input and 12 output blocks in pairs); {layout.Architecture} has {layout.InBlocks} and {layout.OutBlocks}: list its groups under 'blocks' instead");
        }
        var fixedValues = ReadFixed(map.GetValueOrDefault("fixed"), problems);
        var tagAccuracy = ReadTagAccuracy(map.GetValueOrDefault("objective"), Resolve, problems);
        double? timeout = null;
        var objective = tagAccuracy is null ? ReadObjective(map.GetValueOrDefault("objective"), problems, out timeout) : "tag-accuracy (built in)";
        var budget = Integer(Text("budget"), "budget", 1, problems) ?? 50;
        var seed = Integer(Text("seed"), "seed", int.MinValue, problems) ?? 0;
        var optimizer = Text("optimizer") ?? "gp";
        if (optimizer is not ("gp" or "gp-ucb" or "quasirandom" or "random"))
        {
            problems.Add($"optimizer '{optimizer}' is not gp, gp-ucb, quasirandom or random");
        }

        var method = Text("method") ?? "weighted_sum";
        if (method != "weighted_sum")
        {
            problems.Add($"method '{method}': a search merges with weighted_sum");
        }

        var dtypeText = Text("output_dtype") ?? "fp16";
        if (!DTypeExtensions.TryParseUserName(dtypeText, out var dtype))
        {
            problems.Add($"output_dtype '{dtypeText}' is not fp16, bf16 or fp32");
        }

        var constraint = Text("constraint") ?? "none";
        if (constraint is not ("none" or "sum_le_1"))
        {
            problems.Add($"constraint '{constraint}' is not none or sum_le_1 (Σ of the models' weights per block ≤ 1)");
        }

        var keepBest = Integer(Text("keep_best"), "keep_best", 0, problems) ?? 0;
        var fidelity = ReadFidelity(map.GetValueOrDefault("fidelity"), problems);
        var name = Text("name") ?? Path.GetFileNameWithoutExtension(path);
        if (rounds is not null)
        {
            rounds = rounds with { Folder = Resolve(rounds.Folder.Length > 0 ? rounds.Folder : $"{name}-rounds") };
            if (map.ContainsKey("probes") || map.ContainsKey("fixed"))
            {
                problems.Add("with 'rounds', each round probes the base (zeros) and nothing is fixed: remove 'probes' and 'fixed'");
            }
        }

        var storageText = Text("storage") ?? "seamless-studies.db";
        var storage = storageText.Contains("://", StringComparison.Ordinal) ? storageText : Resolve(storageText);
        var work = Resolve(Text("work") ?? $"{name}-work");
        var config = new MergeSearchConfig(name, storage, basePath ?? string.Empty, models, "weighted_sum", dtype, blockMap, groups, fixedValues, [],
            objective ?? string.Empty, timeout, optimizer, budget, seed, work, architecture ?? ModelArchitecture.SD1, constraint == "sum_le_1", keepBest, rounds, fidelity, tagAccuracy);

        var parameterNames = models.SelectMany(m => groups.Select(g => MergeSearchSpace.ParameterName(m, g))).ToHashSet(StringComparer.Ordinal);
        foreach (var key in fixedValues.Keys.Where(k => !parameterNames.Contains(k)))
        {
            problems.Add($"fixed '{key}' is not a parameter (parameters are MODEL:GROUP, e.g. {parameterNames.FirstOrDefault() ?? "b:IN04"})");
        }

        var probes = rounds is null ? ReadProbes(map.GetValueOrDefault("probes"), config, problems) : [];
        if (problems.Count > 0)
        {
            throw new RecipeException(path, problems);
        }

        return config with { Probes = probes };
    }

    private static Studies.FidelityPlan? ReadFidelity(object? value, List<string> problems)
    {
        if (value is null)
        {
            return null;
        }

        if (value is Dictionary<object, object> map && WeightSpec.TryNumber(map.GetValueOrDefault("low")?.ToString() ?? string.Empty, out var low)
            && WeightSpec.TryNumber(map.GetValueOrDefault("promote")?.ToString() ?? "0.25", out var promote))
        {
            var plan = new Studies.FidelityPlan(low, promote);
            if (plan.IsValid(out var problem))
            {
                return plan;
            }

            problems.Add(problem);
            return null;
        }

        problems.Add("'fidelity' is a map: {low: 0.25, promote: 0.25}");
        return null;
    }

    private static RoundPlan? ReadRounds(object? value, Func<string, string> resolve, List<string> problems)
    {
        if (value is null)
        {
            return null;
        }

        if (value is not Dictionary<object, object> map)
        {
            problems.Add("'rounds' is a map: {count: 3, pool: [b.safetensors, …], trials: 20}");
            return null;
        }

        var pool = map.GetValueOrDefault("pool") is List<object> l ? l.Select(x => resolve(x.ToString()!)).ToList() : [];
        if (pool.Count == 0)
        {
            problems.Add("rounds need a 'pool' of models to draw from");
        }

        var count = Integer(map.GetValueOrDefault("count") as string, "rounds.count", 1, problems) ?? 1;
        var trials = Integer(map.GetValueOrDefault("trials") as string, "rounds.trials", 1, problems) ?? 20;
        var nextBase = NextBaseRule.Recommended;
        switch (map.GetValueOrDefault("next_base") as string)
        {
            case null or "recommended": break;
            case "best_observed": nextBase = NextBaseRule.BestObserved; break;
            case var other: problems.Add($"rounds.next_base '{other}' is not recommended or best_observed"); break;
        }

        return new RoundPlan(count, pool, trials, map.GetValueOrDefault("folder") as string ?? string.Empty, nextBase);
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

    private static List<BlockGroup> ReadGroups(object? value, object? perBlock, BlockLayout layout, (double Low, double High) bounds, List<string> problems)
    {
        var entries = value switch
        {
            null or "all" => layout.StandardBlocks.ToList(),
            string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            List<object> l => l.Select(x => x.ToString()!).ToList(),
            _ => null,
        };
        if (entries is null)
        {
            problems.Add("'blocks' is 'all', 'unet14' (the original's 14 groups) or a list such as [IN00-IN03, M00, OUT08]");
            return [];
        }

        var special = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        if (perBlock is Dictionary<object, object> pb)
        {
            foreach (var (k, v) in pb)
            {
                if (ReadBounds(v, $"block_bounds.{k}", problems) is { } b)
                {
                    special[k.ToString()!] = b;
                }
            }
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
            var (low, high) = special.TryGetValue(entry, out var s) ? s : special.TryGetValue(label, out var s2) ? s2 : bounds;
            groups.Add(new BlockGroup(label, blocks, low, high));
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

    private static (double, double)? ReadBounds(object? value, string what, List<string> problems)
    {
        if (value is null)
        {
            return null;
        }

        if (value is List<object> { Count: 2 } pair && WeightSpec.TryNumber(pair[0].ToString()!, out var low) && WeightSpec.TryNumber(pair[1].ToString()!, out var high))
        {
            if (low < high)
            {
                return (low, high);
            }

            problems.Add($"{what} [{low.ToString(CultureInfo.InvariantCulture)}, {high.ToString(CultureInfo.InvariantCulture)}] is reversed or empty");
            return null;
        }

        problems.Add($"{what} is not [low, high]");
        return null;
    }

    private static Dictionary<string, double> ReadFixed(object? value, List<string> problems)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (value is Dictionary<object, object> map)
        {
            foreach (var (k, v) in map)
            {
                if (WeightSpec.TryNumber(v?.ToString() ?? string.Empty, out var x))
                {
                    result[k.ToString()!] = x;
                }
                else
                {
                    problems.Add($"fixed '{k}' is not a number");
                }
            }
        }
        else if (value is not null)
        {
            problems.Add("'fixed' is a map such as {b:BASE: 0}");
        }

        return result;
    }

    /// <summary>Path-valued options of the built-in objective, resolved against the configuration's folder.</summary>
    private static readonly string[] TagAccuracyPaths = ["tagger", "encoder", "models_dir", "catalog", "pool", "cache"];

    /// <summary><c>objective: {tag_accuracy: {backend: a1111, tagger: …}}</c>, or null when the objective is a command.</summary>
    private static Dictionary<string, string>? ReadTagAccuracy(object? value, Func<string, string> resolve, List<string> problems)
    {
        if (value is not Dictionary<object, object> map || !map.TryGetValue("tag_accuracy", out var inner))
        {
            return null;
        }

        if (map.ContainsKey("command"))
        {
            problems.Add("the objective is either a command or tag_accuracy, not both");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (inner is not Dictionary<object, object> options)
        {
            problems.Add("'tag_accuracy' is a map of options such as {backend: a1111, models_dir: …, tagger: …}");
            return result;
        }

        foreach (var (k, v) in options)
        {
            var key = k.ToString()!;
            var items = v is List<object> list ? list.Select(x => x?.ToString() ?? "").ToList() : [v?.ToString() ?? ""];
            if (TagAccuracyPaths.Contains(key))
            {
                items = items.Select(x => x == "none" || x.Contains("://", StringComparison.Ordinal) ? x : resolve(x)).ToList();
            }
            else if (key == "vae")
            {
                // A file beside the config (the embedded engine's) becomes a full path; a name the server lists stays a name.
                items = items.Select(x => File.Exists(resolve(x)) ? resolve(x) : x).ToList();
            }

            result[key] = string.Join(",", items);
        }

        return result;
    }

    private static string? ReadObjective(object? value, List<string> problems, out double? timeout)
    {
        timeout = null;
        if (value is not Dictionary<object, object> map || map.GetValueOrDefault("command") is not string command || command.Length == 0)
        {
            problems.Add("'objective' needs a command: {command: \"python3 score.py\", timeout: 600}");
            return null;
        }

        if (map.GetValueOrDefault("timeout") is string t)
        {
            if (WeightSpec.TryNumber(t, out var seconds) && seconds > 0)
            {
                timeout = seconds;
            }
            else
            {
                problems.Add($"objective timeout '{t}' is not a positive number of seconds");
            }
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
        if (program.Length == 0 || program.Contains('=', StringComparison.Ordinal))
        {
            return true;
        }

        using var check = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "command -v \"$0\" >/dev/null", program }, UseShellExecute = false })!;
        check.WaitForExit();
        return check.ExitCode == 0;
    }

    private static List<IReadOnlyDictionary<string, double>> ReadProbes(object? value, MergeSearchConfig config, List<string> problems)
    {
        var space = MergeSearchSpace.Build(config);
        var probes = new List<IReadOnlyDictionary<string, double>>();
        var entries = value switch
        {
            null => new List<object> { "zeros" },
            List<object> l => l,
            _ => null,
        };
        if (entries is null)
        {
            problems.Add("'probes' is a list: zeros (the base model), models (each input model alone) and/or maps of parameter values");
            return probes;
        }

        foreach (var entry in entries)
        {
            if (entry is "zeros" or "base")
            {
                if (space.Parameters.All(p => p.Low <= 0 && p.High >= 0))
                {
                    probes.Add(space.Parameters.ToDictionary(p => p.Name, _ => 0.0, StringComparer.Ordinal));
                }
                else if (value is not null)
                {
                    problems.Add("probe 'zeros' is outside the bounds of some parameter");
                }

                continue;
            }

            if (entry is "models" or "inputs")
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

                continue;
            }

            if (entry is Dictionary<object, object> point)
            {
                var values = space.Parameters.ToDictionary(p => p.Name, _ => 0.0, StringComparer.Ordinal);
                foreach (var (k, v) in point)
                {
                    var p = space.Parameters.FirstOrDefault(x => x.Name == k.ToString());
                    if (p is null || !WeightSpec.TryNumber(v?.ToString() ?? string.Empty, out var x) || x < p.Low || x > p.High)
                    {
                        problems.Add($"probe value '{k}: {v}' is not a searched parameter within its bounds");
                        continue;
                    }

                    values[p.Name] = x;
                }

                probes.Add(values);
                continue;
            }

            problems.Add($"probe '{entry}' is neither 'zeros' nor a map of parameter values");
        }

        return probes;
    }

    private static int? Integer(string? text, string what, int min, List<string> problems)
    {
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min)
        {
            return v;
        }

        problems.Add($"{what} '{text}' is not an integer ≥ {min}");
        return null;
    }
}
