using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Seamless.Architecture;

/// <summary>
/// Maps checkpoint keys to merge blocks, by the rules in the embedded <c>blockmap.json</c>. A key that maps to
/// no block (buffers, EMA copies, integer ids) is not merged: it is copied from the base model.
/// </summary>
public sealed class BlockMap
{
    private static readonly Lazy<RuleSet> Rules = new(LoadRules);

    public BlockMap(ModelArchitecture architecture, BlockMapOptions options)
    {
        Architecture = architecture;
        Options = options;
        var (inBlocks, outBlocks) = Rules.Value.Layouts[architecture];
        Layout = new BlockLayout(architecture, inBlocks, outBlocks, options.Vae == VaeRule.Own, options.Middle == MiddleRule.Split);
    }

    public ModelArchitecture Architecture { get; }

    public BlockMapOptions Options { get; }

    public BlockLayout Layout { get; }

    public static BlockLayout LayoutOf(ModelArchitecture architecture, BlockMapOptions? options = null) =>
        new BlockMap(architecture, options ?? BlockMapOptions.Default).Layout;

    /// <summary>The block of <paramref name="key"/>, or null when the key is not merged.</summary>
    /// <exception cref="KeyNotFoundException">The key names a block this architecture does not have (e.g. input_blocks.9 in SDXL).</exception>
    public string? Resolve(string key)
    {
        foreach (var rule in Rules.Value.List)
        {
            var match = rule.Pattern.Match(key);
            if (!match.Success)
            {
                continue;
            }

            var block = rule.Option switch
            {
                "timeEmbed" => Options.TimeEmbed == TimeEmbedRule.In00 ? rule.Choices!["in00"] : rule.Choices!["base"],
                "vae" => Options.Vae == VaeRule.Base ? rule.Choices!["base"] : rule.Choices!["own"],
                "middle" => Options.Middle == MiddleRule.Whole ? rule.Choices!["whole"] : rule.Choices!["split"],
                "out" => Options.Out == OutRule.LastOut ? rule.Choices!["lastOut"] : rule.Choices!["base"],
                null => rule.Block,
                _ => throw new InvalidOperationException($"blockmap.json: unknown option '{rule.Option}'"),
            };
            if (block is null)
            {
                return null;
            }

            block = block.Replace("{lastOut}", Layout.LastOut, StringComparison.Ordinal);
            if (block.Contains("{n}", StringComparison.Ordinal))
            {
                var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                block = block.Replace("{n}", n.ToString("00", CultureInfo.InvariantCulture), StringComparison.Ordinal);
            }

            return Layout.Contains(block)
                ? block
                : throw new KeyNotFoundException($"key '{key}' belongs to block {block}, which {Architecture} does not have");
        }

        return null;
    }

    private static RuleSet LoadRules()
    {
        using var stream = EmbeddedData.Open("blockmap.json");
        using var doc = JsonDocument.Parse(stream);
        var layouts = new Dictionary<ModelArchitecture, (int, int)>();
        foreach (var layout in doc.RootElement.GetProperty("layouts").EnumerateObject())
        {
            layouts[Enum.Parse<ModelArchitecture>(layout.Name)] = (layout.Value.GetProperty("in").GetInt32(), layout.Value.GetProperty("out").GetInt32());
        }

        var rules = new List<Rule>();
        foreach (var rule in doc.RootElement.GetProperty("rules").EnumerateArray())
        {
            var pattern = new Regex(rule.GetProperty("pattern").GetString()!, RegexOptions.Compiled | RegexOptions.CultureInvariant);
            var block = rule.TryGetProperty("block", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
            var option = rule.TryGetProperty("option", out var o) ? o.GetString() : null;
            var choices = rule.TryGetProperty("choices", out var c)
                ? c.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
                : null;
            rules.Add(new Rule(pattern, block, option, choices));
        }

        return new RuleSet(layouts, rules);
    }

    private sealed record Rule(Regex Pattern, string? Block, string? Option, Dictionary<string, string>? Choices);

    private sealed record RuleSet(Dictionary<ModelArchitecture, (int In, int Out)> Layouts, List<Rule> List);
}
