using System.Globalization;
using System.Text;
using Seamless.Architecture;
using Seamless.Merging;
using Seamless.Safetensors;
using Seamless.Search.Merges;
using Seamless.Search.Studies;

namespace Seamless.Reports.Model;

/// <summary>
/// A trial's merge in the forms people paste elsewhere: a <c>seamless merge</c> recipe (YAML, every block named, so
/// the VAE block and split middles survive), each model's 26- (SD1) or 20-number (SDXL) supermerger string, the
/// <c>seamless merge</c> command with flags, and <c>seamless best</c>'s command for the recommendation.
/// </summary>
public sealed record RecipeExport(string Yaml, IReadOnlyList<(string Model, string Weights)> Supermerger, string MergeCommand, string BestCommand)
{
    public static RecipeExport Build(MergeSearchConfig merge, Trial trial, string storage)
    {
        ArgumentNullException.ThrowIfNull(merge);
        ArgumentNullException.ThrowIfNull(trial);
        var recipe = MergeSearchSpace.Recipe(merge, trial.Parameters);
        var layout = BlockMap.LayoutOf(merge.Architecture, merge.BlockMap);
        var resolved = recipe.Models.Select(m => (m.Path, Weights: m.Weights.Resolve(layout, new List<string>())!)).ToList();
        var yaml = new StringBuilder()
            .Append("# trial ").Append(trial.Number.ToString(CultureInfo.InvariantCulture)).Append(" of study '").Append(merge.Name).Append("'\n")
            .Append("base: ").Append(Quote(recipe.BasePath)).Append('\n')
            .Append("method: ").Append(recipe.Method).Append('\n')
            .Append("output_dtype: ").Append(DTypeName(recipe.OutputDType)).Append('\n');
        if (recipe.BlockMapOptions != BlockMapOptions.Default)
        {
            var b = recipe.BlockMapOptions;
            yaml.Append("block_map: {time_embed: ").Append(b.TimeEmbed == TimeEmbedRule.In00 ? "in00" : "base").Append(", vae: ").Append(b.Vae == VaeRule.Base ? "base" : "own")
                .Append(", middle: ").Append(b.Middle == MiddleRule.Whole ? "whole" : "split").Append(", out: ").Append(b.Out == OutRule.LastOut ? "last_out" : "base").Append("}\n");
        }

        yaml.Append("models:\n");
        foreach (var (path, weights) in resolved)
        {
            yaml.Append("  - path: ").Append(Quote(path)).Append("\n    weights: {")
                .Append(string.Join(", ", layout.Blocks.Select(block => $"{block}: {BlockWeights.FormatRounded(weights[block], 4)}"))).Append("}\n");
        }

        var supermerger = resolved.Select(r => (Path.GetFileName(r.Path), r.Weights.ToSupermerger(decimals: 4))).ToList();
        var command = new StringBuilder("seamless merge --base ").Append(Shell(recipe.BasePath));
        if (recipe.Method != "weighted_sum")
        {
            command.Append(" --method ").Append(recipe.Method);
        }

        foreach (var (path, weights) in resolved)
        {
            command.Append(" --model ").Append(Shell(path + "@" + weights.ToSupermerger(decimals: 4)));
        }

        command.Append(" --dtype ").Append(DTypeName(recipe.OutputDType)).Append(" --out merged.safetensors");
        if (recipe.BlockMapOptions != BlockMapOptions.Default)
        {
            command.Clear().Append("seamless merge recipe.yaml --out merged.safetensors   # the block_map needs the YAML recipe");
        }

        var best = $"seamless best {Shell(merge.Name)} --storage {Shell(storage)} --out best.safetensors";
        return new RecipeExport(yaml.ToString(), supermerger, command.ToString(), best);
    }

    private static string DTypeName(DType dtype) => dtype switch
    {
        DType.BF16 => "bf16",
        DType.F32 => "fp32",
        _ => "fp16",
    };

    /// <summary>A YAML double-quoted scalar (paths may hold ': ' or '#').</summary>
    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>A POSIX shell word: bare when it is plainly safe, single-quoted otherwise.</summary>
    private static string Shell(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "/._-,@:=+".Contains(c, StringComparison.Ordinal))
            ? s
            : "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
