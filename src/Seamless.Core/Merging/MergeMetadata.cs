using System.Text.Json;
using System.Text.Json.Nodes;
using Seamless.Architecture;
using Seamless.Hashing;
using Seamless.Safetensors;

namespace Seamless.Merging;

/// <summary>
/// The <c>__metadata__</c> of a merged file: <c>sd_merge_recipe</c> and <c>sd_merge_models</c> in the fields A1111
/// writes and reads, and <c>seamless.recipe</c>, the whole recipe (resolved block weights, block-map rule, tool
/// version) from which the file can be rebuilt.
/// </summary>
public static class MergeMetadata
{
    public const string RecipeKey = "seamless.recipe";
    public const string A1111RecipeKey = "sd_merge_recipe";
    public const string A1111ModelsKey = "sd_merge_models";

    public static string ToolVersion =>
        typeof(MergeMetadata).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static Dictionary<string, string> Build(MergePlan plan, IReadOnlyList<FileHash> hashes, IReadOnlyList<IReadOnlyDictionary<string, string>> inputMetadata, string outputPath)
    {
        var recipe = plan.Recipe;
        var method = MergeMethods.Get(recipe.Method);
        string Name(string path) => Path.GetFileName(path);
        FileHash HashOf(string path) => hashes[IndexOf(plan.Inputs, path)];

        var seamless = new JsonObject
        {
            ["tool"] = $"seamless {ToolVersion}",
            ["method"] = method.Name,
            ["formula"] = method.Formula,
            ["output_dtype"] = recipe.OutputDType.HeaderName(),
            ["architecture"] = plan.Architecture.ToString(),
            ["block_map"] = new JsonObject
            {
                ["time_embed"] = recipe.BlockMapOptions.TimeEmbed == TimeEmbedRule.In00 ? "in00" : "base",
                ["vae"] = recipe.BlockMapOptions.Vae == VaeRule.Base ? "base" : "own",
                ["middle"] = recipe.BlockMapOptions.Middle == MiddleRule.Whole ? "whole" : "split",
                ["out"] = recipe.BlockMapOptions.Out == OutRule.LastOut ? "last_out" : "base",
                ["rule"] = recipe.BlockMapOptions.Describe(),
            },
            ["base"] = Model(Name(recipe.BasePath), HashOf(recipe.BasePath)),
            ["models"] = new JsonArray(recipe.Models.Select((m, i) =>
            {
                var entry = Model(Name(m.Path), HashOf(m.Path));
                entry["weights"] = new JsonObject(plan.ModelWeights[i].AsDictionary().Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
                entry["supermerger"] = plan.ModelWeights[i].ToSupermerger();
                var (baseAlpha, mehWeights) = plan.ModelWeights[i].ToSdMeh();
                entry["sd_meh"] = new JsonObject { ["base_alpha"] = baseAlpha, ["weights"] = mehWeights };
                entry["given"] = m.Weights.Text;
                if (m.Subtract is not null)
                {
                    entry["subtract"] = Model(Name(m.Subtract), HashOf(m.Subtract));
                }

                return (JsonNode?)entry;
            }).ToArray()),
        };

        var hashesInOrder = new[] { recipe.BasePath }.Concat(recipe.Models.Select(m => m.Path)).Concat(recipe.Models.Where(m => m.Subtract is not null).Select(m => m.Subtract!))
            .Select(p => HashOf(p).ShortHash).ToList();
        var a1111 = new JsonObject
        {
            ["type"] = "seamless",
            ["primary_model_hash"] = hashesInOrder[0],
            ["secondary_model_hash"] = hashesInOrder.Count > 1 ? hashesInOrder[1] : null,
            ["tertiary_model_hash"] = hashesInOrder.Count > 2 ? hashesInOrder[2] : null,
            ["interp_method"] = method.Name == "add_difference" ? "Add difference" : "Weighted sum",
            ["multiplier"] = recipe.Models.Count > 0 ? plan.ModelWeights[0][BlockLayout.Middle] : 0,
            ["save_as_half"] = recipe.OutputDType == DType.F16,
            ["custom_name"] = Path.GetFileNameWithoutExtension(outputPath),
            ["config_source"] = 0,
            ["bake_in_vae"] = "None",
            ["discard_weights"] = string.Empty,
            ["is_inpainting"] = false,
            ["is_instruct_pix2pix"] = false,
        };

        var models = new JsonObject();
        for (var i = 0; i < plan.Inputs.Count; i++)
        {
            var entry = new JsonObject { ["name"] = Name(plan.Inputs[i]), ["legacy_hash"] = hashes[i].LegacyHash };
            if (inputMetadata[i].TryGetValue(A1111RecipeKey, out var nested))
            {
                entry[A1111RecipeKey] = TryParse(nested) ?? nested;
            }

            models[hashes[i].Sha256] = entry;
        }

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [RecipeKey] = seamless.ToJsonString(),
            [A1111RecipeKey] = a1111.ToJsonString(),
            [A1111ModelsKey] = models.ToJsonString(),
            ["format"] = "pt",
        };
    }

    private static JsonObject Model(string name, FileHash hash) => new() { ["name"] = name, ["sha256"] = hash.Sha256 };

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException($"{value} is not an input of the plan", nameof(value));
    }

    private static JsonNode? TryParse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
