using Seamless.Architecture;
using Seamless.Errors;
using Seamless.Safetensors;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Seamless.Merging;

/// <summary>
/// Reads a recipe from YAML or JSON (JSON is read as YAML) and validates it before any model is opened: unknown
/// keys, unknown method or dtype, malformed weights, missing files — every problem at once, in one exception.
/// Relative model paths are resolved against the recipe's folder.
/// </summary>
public static class RecipeLoader
{
    private static readonly HashSet<string> TopKeys = ["base", "method", "output_dtype", "models", "block_map"];
    private static readonly HashSet<string> ModelKeys = ["path", "weights", "base_alpha", "subtract"];

    public static MergeRecipe Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new RecipeException(path, "recipe file not found");
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

        return FromObject(root, Path.GetDirectoryName(Path.GetFullPath(path))!, path);
    }

    /// <summary>Builds and validates a recipe from a parsed YAML/JSON object graph.</summary>
    public static MergeRecipe FromObject(object? root, string folder, string? source)
    {
        var problems = new List<string>();
        if (root is not Dictionary<object, object> map)
        {
            throw new RecipeException(source, "a recipe is a mapping with base, method, models");
        }

        foreach (var key in map.Keys.Select(k => k.ToString()!).Where(k => !TopKeys.Contains(k)))
        {
            problems.Add($"unknown key '{key}' (known: {string.Join(", ", TopKeys)})");
        }

        var basePath = Text(map, "base");
        if (basePath is null)
        {
            problems.Add("'base' (the base model A) is missing");
        }

        var method = Text(map, "method") ?? "weighted_sum";
        var dtypeText = Text(map, "output_dtype") ?? "fp16";
        if (!DTypeExtensions.TryParseUserName(dtypeText, out var dtype))
        {
            problems.Add($"output_dtype '{dtypeText}' is not one of fp16, bf16, fp32");
        }

        var blockMap = ReadBlockMap(map, problems);
        var models = new List<RecipeModel>();
        if (!map.TryGetValue("models", out var modelsObject) || modelsObject is not List<object> modelList || modelList.Count == 0)
        {
            problems.Add("'models' must list at least one model (path and weights)");
        }
        else
        {
            for (var i = 0; i < modelList.Count; i++)
            {
                var model = ReadModel(modelList[i], i + 1, folder, problems);
                if (model is not null)
                {
                    models.Add(model);
                }
            }
        }

        var recipe = new MergeRecipe(basePath is null ? string.Empty : Resolve(folder, basePath), method, models, dtype, blockMap);
        return Validate(recipe, problems, source);
    }

    /// <summary>Checks a recipe built in code or from flags, adding to <paramref name="problems"/> those found so far.</summary>
    public static MergeRecipe Validate(MergeRecipe recipe, List<string>? problems = null, string? source = null)
    {
        problems ??= [];
        if (!MergeMethods.TryGet(recipe.Method, out var method))
        {
            problems.Add($"unknown method '{recipe.Method}' (known: {string.Join(", ", MergeMethods.Names)})");
        }
        else
        {
            method.Validate(recipe, problems);
            recipe = recipe with { Method = method.Name };
        }

        if (!recipe.OutputDType.IsWritableFloat())
        {
            problems.Add($"output dtype {recipe.OutputDType} cannot be written; use fp16, bf16 or fp32");
        }

        foreach (var input in recipe.InputPaths.Where(p => p.Length > 0))
        {
            if (Directory.Exists(input))
            {
                problems.Add($"{input} is a directory, not a .safetensors file");
            }
            else if (!File.Exists(input))
            {
                problems.Add($"{input} not found");
            }
        }

        if (problems.Count > 0)
        {
            throw new RecipeException(source, problems);
        }

        return recipe;
    }

    private static RecipeModel? ReadModel(object entry, int number, string folder, List<string> problems)
    {
        if (entry is string bare)
        {
            problems.Add($"model {number} ('{bare}') needs weights: write '- path: {bare}' and 'weights: …'");
            return null;
        }

        if (entry is not Dictionary<object, object> m)
        {
            problems.Add($"model {number} is not a mapping with path and weights");
            return null;
        }

        foreach (var key in m.Keys.Select(k => k.ToString()!).Where(k => !ModelKeys.Contains(k)))
        {
            problems.Add($"model {number}: unknown key '{key}' (known: {string.Join(", ", ModelKeys)})");
        }

        var path = Text(m, "path");
        if (path is null)
        {
            problems.Add($"model {number} has no 'path'");
            return null;
        }

        double? baseAlpha = null;
        if (Text(m, "base_alpha") is { } alphaText)
        {
            if (WeightSpec.TryNumber(alphaText, out var alpha))
            {
                baseAlpha = alpha;
            }
            else
            {
                problems.Add($"model {number}: base_alpha '{alphaText}' is not a number");
            }
        }

        var local = new List<string>();
        var weights = ReadWeights(m.GetValueOrDefault("weights"), baseAlpha, local);
        problems.AddRange(local.Select(p => $"model {number} ({path}): {p}"));
        var subtract = Text(m, "subtract");
        return new RecipeModel(Resolve(folder, path), weights, subtract is null ? null : Resolve(folder, subtract));
    }

    private static WeightSpec ReadWeights(object? value, double? baseAlpha, List<string> problems)
    {
        switch (value)
        {
            case null:
                problems.Add("'weights' is missing (a number, a list of block weights, or a map such as {default: 0, IN04-IN08: 0.2})");
                return WeightSpec.FromUniform(0);
            case string s:
                return WeightSpec.Parse(s, baseAlpha, problems);
            case List<object> list:
                return WeightSpec.Parse(string.Join(",", list.Select(x => x?.ToString() ?? "?")), baseAlpha, problems);
            case Dictionary<object, object> named:
                var entries = new List<KeyValuePair<string, double>>();
                foreach (var (k, v) in named)
                {
                    if (WeightSpec.TryNumber(v?.ToString() ?? string.Empty, out var w))
                    {
                        entries.Add(new(k.ToString()!, w));
                    }
                    else
                    {
                        problems.Add($"weight of '{k}' is not a number ('{v}')");
                    }
                }

                return WeightSpec.FromNamed(entries);
            default:
                problems.Add("'weights' is neither a number, a list nor a map");
                return WeightSpec.FromUniform(0);
        }
    }

    /// <summary>The optional <c>block_map</c> of a recipe or a search configuration (the YAML mapping it sits in).</summary>
    public static BlockMapOptions ReadBlockMap(Dictionary<object, object> map, List<string> problems)
    {
        if (!map.TryGetValue("block_map", out var value) || value is null)
        {
            return BlockMapOptions.Default;
        }

        if (value is not Dictionary<object, object> m)
        {
            problems.Add("block_map must be a mapping such as {time_embed: in00, vae: base}");
            return BlockMapOptions.Default;
        }

        var options = BlockMapOptions.Default;
        foreach (var (k, v) in m)
        {
            switch ((k.ToString(), v?.ToString()?.ToLowerInvariant()))
            {
                case ("time_embed", "in00"): options = options with { TimeEmbed = TimeEmbedRule.In00 }; break;
                case ("time_embed", "base"): options = options with { TimeEmbed = TimeEmbedRule.Base }; break;
                case ("vae", "base"): options = options with { Vae = VaeRule.Base }; break;
                case ("vae", "own"): options = options with { Vae = VaeRule.Own }; break;
                case ("middle", "whole"): options = options with { Middle = MiddleRule.Whole }; break;
                case ("middle", "split"): options = options with { Middle = MiddleRule.Split }; break;
                case ("out", "last_out"): options = options with { Out = OutRule.LastOut }; break;
                case ("out", "base"): options = options with { Out = OutRule.Base }; break;
                default: problems.Add($"block_map '{k}: {v}' is not one of time_embed: in00|base, vae: base|own, middle: whole|split, out: last_out|base"); break;
            }
        }

        return options;
    }

    private static string? Text(Dictionary<object, object> map, string key) =>
        map.TryGetValue(key, out var v) && v is string s && s.Length > 0 ? s : null;

    private static string Resolve(string folder, string path) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(folder, path));
}
