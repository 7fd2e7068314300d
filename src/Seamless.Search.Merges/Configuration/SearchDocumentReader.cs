using System.Globalization;
using Seamless.Errors;
using Seamless.Merging;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Seamless.Search.Merges.Configuration;

/// <summary>
/// Reads a search configuration (YAML or JSON) into a <see cref="SearchDocument"/>. A value of the wrong shape is a
/// problem added to the list and the key is left unset, so one pass reports every problem; only a file that is
/// missing, not YAML or not a mapping stops at once.
/// </summary>
public static class SearchDocumentReader
{
    public static readonly IReadOnlySet<string> Keys = new HashSet<string>(StringComparer.Ordinal)
    {
        "name", "storage", "base", "models", "method", "output_dtype", "block_map", "blocks", "bounds", "block_bounds",
        "fixed", "probes", "objective", "optimizer", "budget", "seed", "work", "constraint", "keep_best", "rounds", "fidelity",
    };

    public static SearchDocument Read(string path, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (!File.Exists(path))
        {
            throw new RecipeException(path, "search configuration not found");
        }

        return Parse(File.ReadAllText(path), path, problems);
    }

    /// <summary>As <see cref="Read"/>, from text; <paramref name="source"/> names it in errors.</summary>
    public static SearchDocument Parse(string text, string source, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        object? root;
        try
        {
            root = new DeserializerBuilder().Build().Deserialize<object>(text);
        }
        catch (YamlException e)
        {
            throw new RecipeException(source, $"not valid YAML/JSON at line {e.Start.Line}: {e.Message}");
        }

        if (root is not Dictionary<object, object> map)
        {
            throw new RecipeException(source, "a search configuration is a mapping (base, models, objective, budget…)");
        }

        foreach (var key in map.Keys.Select(k => k.ToString()!).Where(k => !Keys.Contains(k)))
        {
            problems.Add($"unknown key '{key}'");
        }

        string? Text(string key) => Scalar(map.GetValueOrDefault(key), key, problems);
        return new SearchDocument
        {
            Name = Text("name"),
            Storage = Text("storage"),
            Base = Text("base"),
            Models = Paths(map.GetValueOrDefault("models"), "'models' is a list of model files: [b.safetensors, c.safetensors]", problems),
            Method = Text("method"),
            OutputDtype = Text("output_dtype"),
            BlockMap = ReadBlockMap(map.GetValueOrDefault("block_map"), problems),
            Blocks = ReadBlocks(map.GetValueOrDefault("blocks"), problems),
            Bounds = ReadBounds(map.GetValueOrDefault("bounds"), "bounds", problems),
            BlockBounds = ReadBlockBounds(map.GetValueOrDefault("block_bounds"), problems),
            Fixed = ReadFixed(map.GetValueOrDefault("fixed"), problems),
            Probes = ReadProbes(map.GetValueOrDefault("probes"), problems),
            Objective = ReadObjective(map.GetValueOrDefault("objective"), problems),
            Optimizer = Text("optimizer"),
            Budget = Integer(map.GetValueOrDefault("budget"), "budget", 1, problems),
            Seed = Integer(map.GetValueOrDefault("seed"), "seed", int.MinValue, problems),
            Work = Text("work"),
            Constraint = Text("constraint"),
            KeepBest = Integer(map.GetValueOrDefault("keep_best"), "keep_best", 0, problems),
            Rounds = ReadRounds(map.GetValueOrDefault("rounds"), problems),
            Fidelity = ReadFidelity(map.GetValueOrDefault("fidelity"), problems),
        };
    }

    /// <summary>A scalar's text; empty counts as unset. A list or map where a scalar belongs is a problem.</summary>
    private static string? Scalar(object? value, string what, List<string> problems)
    {
        switch (value)
        {
            case null:
                return null;
            case string s:
                return s.Length > 0 ? s : null;
            default:
                problems.Add($"'{what}' is a single value, not a {(value is List<object> ? "list" : "map")}");
                return null;
        }
    }

    private static List<string>? Paths(object? value, string shape, List<string> problems)
    {
        switch (value)
        {
            case null:
                return null;
            case List<object> list when list.All(x => x is string { Length: > 0 }):
                return [.. list.Cast<string>()];
            default:
                problems.Add(shape);
                return null;
        }
    }

    private static Dictionary<string, string>? ReadBlockMap(object? value, List<string> problems)
    {
        switch (value)
        {
            case null:
                return null;
            case Dictionary<object, object> m:
                // The keys and values themselves are checked by the merge recipe's reader, where block maps are defined.
                var result = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (k, v) in m)
                {
                    result[k.ToString()!] = v?.ToString() ?? string.Empty;
                }

                RecipeLoader.ReadBlockMap(new Dictionary<object, object> { ["block_map"] = m }, problems);
                return result;
            default:
                RecipeLoader.ReadBlockMap(new Dictionary<object, object> { ["block_map"] = value }, problems);
                return null;
        }
    }

    private static BlockSelection? ReadBlocks(object? value, List<string> problems)
    {
        switch (value)
        {
            case null:
                return null;
            case "all":
                return BlockSelection.All;
            case OriginalSearchSpace.Name:
                return new BlockSelection(OriginalSearchSpace.Name, []);
            case string s:
                return new BlockSelection(null, s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            case List<object> l when l.All(x => x is string):
                return new BlockSelection(null, [.. l.Cast<string>()]);
            default:
                problems.Add("'blocks' is 'all', 'unet14' (the original's 14 groups) or a list such as [IN00-IN03, M00, OUT08]");
                return null;
        }
    }

    private static WeightBounds? ReadBounds(object? value, string what, List<string> problems)
    {
        if (value is null)
        {
            return null;
        }

        if (value is List<object> { Count: 2 } pair && Number(pair[0], out var low) && Number(pair[1], out var high))
        {
            if (low < high)
            {
                return new WeightBounds(low, high);
            }

            problems.Add($"{what} [{low.ToString(CultureInfo.InvariantCulture)}, {high.ToString(CultureInfo.InvariantCulture)}] is reversed or empty");
            return null;
        }

        problems.Add($"{what} is not [low, high]");
        return null;
    }

    private static Dictionary<string, WeightBounds>? ReadBlockBounds(object? value, List<string> problems)
    {
        switch (value)
        {
            case null:
                return null;
            case Dictionary<object, object> map:
                var result = new Dictionary<string, WeightBounds>(StringComparer.Ordinal);
                foreach (var (k, v) in map)
                {
                    if (ReadBounds(v, $"block_bounds.{k}", problems) is { } b)
                    {
                        result[k.ToString()!] = b;
                    }
                }

                return result;
            default:
                problems.Add("'block_bounds' is a map of groups to [low, high], such as {M00: [0, 0.5]}");
                return null;
        }
    }

    private static Dictionary<string, double>? ReadFixed(object? value, List<string> problems)
    {
        switch (value)
        {
            case null:
                return null;
            case Dictionary<object, object> map:
                var result = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var (k, v) in map)
                {
                    if (Number(v, out var x))
                    {
                        result[k.ToString()!] = x;
                    }
                    else
                    {
                        problems.Add($"fixed '{k}' is not a number");
                    }
                }

                return result;
            default:
                problems.Add("'fixed' is a map such as {b:BASE: 0}");
                return null;
        }
    }

    private static List<ProbeSpec>? ReadProbes(object? value, List<string> problems)
    {
        if (value is null)
        {
            return null;
        }

        if (value is not List<object> entries)
        {
            problems.Add("'probes' is a list: zeros (the base model), models (each input model alone) and/or maps of parameter values");
            return null;
        }

        var probes = new List<ProbeSpec>();
        foreach (var entry in entries)
        {
            switch (entry)
            {
                case "zeros" or "base":
                    probes.Add(ProbeSpec.Of(ProbeSpec.Zeros));
                    break;
                case "models" or "inputs":
                    probes.Add(ProbeSpec.Of(ProbeSpec.Models));
                    break;
                case Dictionary<object, object> point:
                    var values = new Dictionary<string, double>(StringComparer.Ordinal);
                    foreach (var (k, v) in point)
                    {
                        if (Number(v, out var x))
                        {
                            values[k.ToString()!] = x;
                        }
                        else
                        {
                            problems.Add($"probe value '{k}: {Describe(v)}' is not a number");
                        }
                    }

                    probes.Add(ProbeSpec.At(values));
                    break;
                default:
                    problems.Add($"probe '{Describe(entry)}' is neither 'zeros', 'models' nor a map of parameter values");
                    break;
            }
        }

        return probes;
    }

    /// <summary><c>objective: {command: …, timeout: …}</c> or <c>objective: {tag_accuracy: {backend: a1111, tagger: …}}</c>.</summary>
    private static ObjectiveDocument? ReadObjective(object? value, List<string> problems)
    {
        if (value is null)
        {
            return null;
        }

        if (value is not Dictionary<object, object> map)
        {
            problems.Add("'objective' is a map: {command: \"python3 score.py\", timeout: 600} or {tag_accuracy: {…}}");
            return null;
        }

        foreach (var key in map.Keys.Select(k => k.ToString()!).Where(k => k is not ("command" or "timeout" or "tag_accuracy")))
        {
            problems.Add($"unknown key 'objective.{key}' (command, timeout or tag_accuracy)");
        }

        var command = Scalar(map.GetValueOrDefault("command"), "objective.command", problems);
        double? timeout = null;
        if (map.GetValueOrDefault("timeout") is { } t)
        {
            if (Number(t, out var seconds) && seconds > 0)
            {
                timeout = seconds;
            }
            else
            {
                problems.Add($"objective timeout '{Describe(t)}' is not a positive number of seconds");
            }
        }

        Dictionary<string, IReadOnlyList<string>>? tagAccuracy = null;
        if (map.TryGetValue("tag_accuracy", out var inner))
        {
            if (command is not null)
            {
                problems.Add("the objective is either a command or tag_accuracy, not both");
            }

            tagAccuracy = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (inner is Dictionary<object, object> options)
            {
                foreach (var (k, v) in options)
                {
                    tagAccuracy[k.ToString()!] = v is List<object> list ? [.. list.Select(x => x?.ToString() ?? string.Empty)] : [v?.ToString() ?? string.Empty];
                }
            }
            else
            {
                problems.Add("'tag_accuracy' is a map of options such as {backend: a1111, models_dir: …, tagger: …}");
            }
        }

        return new ObjectiveDocument(command, timeout, tagAccuracy);
    }

    private static RoundsDocument? ReadRounds(object? value, List<string> problems)
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

        foreach (var key in map.Keys.Select(k => k.ToString()!).Where(k => k is not ("count" or "pool" or "trials" or "folder" or "next_base")))
        {
            problems.Add($"unknown key 'rounds.{key}' (count, pool, trials, folder or next_base)");
        }

        List<string> pool = [];
        if (map.GetValueOrDefault("pool") is null or List<object> { Count: 0 })
        {
            problems.Add("rounds need a 'pool' of models to draw from");
        }
        else
        {
            pool = Paths(map.GetValueOrDefault("pool"), "'rounds.pool' is a list of model files: [b.safetensors, c.safetensors]", problems) ?? [];
        }

        NextBaseRule? nextBase = null;
        switch (Scalar(map.GetValueOrDefault("next_base"), "rounds.next_base", problems))
        {
            case null: break;
            case "recommended": nextBase = NextBaseRule.Recommended; break;
            case "best_observed": nextBase = NextBaseRule.BestObserved; break;
            case var other: problems.Add($"rounds.next_base '{other}' is not recommended or best_observed"); break;
        }

        return new RoundsDocument(
            pool,
            Integer(map.GetValueOrDefault("count"), "rounds.count", 1, problems),
            Integer(map.GetValueOrDefault("trials"), "rounds.trials", 1, problems),
            Scalar(map.GetValueOrDefault("folder"), "rounds.folder", problems),
            nextBase);
    }

    private static Studies.FidelityPlan? ReadFidelity(object? value, List<string> problems)
    {
        if (value is null)
        {
            return null;
        }

        if (value is Dictionary<object, object> map && Number(map.GetValueOrDefault("low"), out var low) && Number(map.GetValueOrDefault("promote") ?? "0.25", out var promote))
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

    private static int? Integer(object? value, string what, int min, List<string> problems)
    {
        if (value is null)
        {
            return null;
        }

        if (value is string text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min)
        {
            return v;
        }

        problems.Add($"{what} '{Describe(value)}' is not an integer ≥ {min}");
        return null;
    }

    private static bool Number(object? value, out double x)
    {
        x = 0;
        return value is string s && WeightSpec.TryNumber(s, out x);
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => s,
        List<object> => "a list",
        _ => "a map",
    };
}
