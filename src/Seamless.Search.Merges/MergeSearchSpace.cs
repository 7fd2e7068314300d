using Seamless.Merging;
using Seamless.Search.Space;

namespace Seamless.Search.Merges;

/// <summary>
/// Maps between optimiser parameters and merge recipes. Parameter names are <c>MODEL:GROUP</c> (model file name
/// without extension), e.g. <c>b:IN04-IN08</c>; fixed parameters are added to every recipe and not searched.
/// </summary>
public static class MergeSearchSpace
{
    public static string ParameterName(string model, BlockGroup group) => $"{Path.GetFileNameWithoutExtension(model)}:{group.Label}";

    public static SearchSpace Build(MergeSearchConfig config) => new(
        config.Models.SelectMany(m => config.Groups.Select(g => (Name: ParameterName(m, g), g)))
            .Where(p => !config.Fixed.ContainsKey(p.Name))
            .Select(p => new SearchParameter(p.Name, p.g.Low, p.g.High)).ToList());

    /// <summary>
    /// Repairs a proposal that breaks Σ weights ≤ 1 in some group by scaling that group's searched weights down
    /// (toward 0, so they stay within bounds that contain 0). The optimiser then models the repaired point, which is
    /// the one evaluated.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Repair(MergeSearchConfig config, IReadOnlyDictionary<string, double> parameters)
    {
        if (!config.SumAtMostOne)
        {
            return parameters;
        }

        var repaired = new Dictionary<string, double>(parameters, StringComparer.Ordinal);
        foreach (var group in config.Groups)
        {
            var names = config.Models.Select(m => ParameterName(m, group)).ToList();
            var fixedSum = names.Where(config.Fixed.ContainsKey).Sum(n => config.Fixed[n]);
            var searched = names.Where(repaired.ContainsKey).ToList();
            var sum = searched.Sum(n => repaired[n]);
            if (fixedSum + sum > 1 && sum > 0)
            {
                var factor = Math.Max(0, 1 - fixedSum) / sum;
                foreach (var n in searched)
                {
                    repaired[n] *= factor;
                }
            }
        }

        return repaired;
    }

    /// <summary>The recipe of one trial: each model's named-map weights, 0 for blocks not searched.</summary>
    public static MergeRecipe Recipe(MergeSearchConfig config, IReadOnlyDictionary<string, double> parameters)
    {
        var models = config.Models.Select(m =>
        {
            var entries = new List<KeyValuePair<string, double>> { new("default", 0) };
            foreach (var g in config.Groups)
            {
                var name = ParameterName(m, g);
                var value = config.Fixed.TryGetValue(name, out var f) ? f : parameters[name];
                entries.AddRange(g.Blocks.Select(b => new KeyValuePair<string, double>(b, value)));
            }

            return new RecipeModel(m, WeightSpec.FromNamed(entries));
        }).ToList();
        return new MergeRecipe(config.BasePath, config.Method, models, config.OutputDType, config.BlockMap);
    }
}
