using System.Globalization;
using Seamless.Architecture;

namespace Seamless.Merging;

/// <summary>
/// Block weights as a user wrote them, checked for syntax but not yet tied to an architecture. Three dialects:
/// a single number (every block); a list of numbers — supermerger (26 for SD1.x, 20 for SDXL, BASE first; a
/// 26-list on SDXL drops IN09–IN11 and OUT09–OUT11) or sd-meh (25 or 19 without BASE, plus <c>base_alpha</c>);
/// and named maps (<c>{default: 0.05, IN04-IN08: 0.2, M00: -0.1}</c>, also written "IN04-IN08=0.2, M00=-0.1").
/// In a named map, single blocks beat ranges, ranges beat <c>default</c>, and VAE (when it has its own block)
/// follows BASE unless named.
/// </summary>
public sealed class WeightSpec
{
    private const int Sd1Count = 26;

    private WeightSpec(double? uniform, IReadOnlyList<double>? list, IReadOnlyList<KeyValuePair<string, double>>? named, double? baseAlpha, string text)
    {
        Uniform = uniform;
        List = list;
        Named = named;
        BaseAlpha = baseAlpha;
        Text = text;
    }

    public double? Uniform { get; }

    public IReadOnlyList<double>? List { get; }

    public IReadOnlyList<KeyValuePair<string, double>>? Named { get; }

    public double? BaseAlpha { get; }

    /// <summary>The spec as given, for messages and the recorded recipe.</summary>
    public string Text { get; }

    public static WeightSpec FromUniform(double value) => new(value, null, null, null, BlockWeights.Format(value));

    public static WeightSpec FromList(IReadOnlyList<double> values, double? baseAlpha = null) =>
        new(null, values, null, baseAlpha, string.Join(",", values.Select(BlockWeights.Format)));

    public static WeightSpec FromNamed(IReadOnlyList<KeyValuePair<string, double>> entries) =>
        new(null, null, entries, null, string.Join(", ", entries.Select(e => $"{e.Key}={BlockWeights.Format(e.Value)}")));

    public static WeightSpec FromBlockWeights(BlockWeights weights) =>
        FromNamed(weights.AsDictionary().Select(kv => new KeyValuePair<string, double>(kv.Key, kv.Value)).ToList());

    /// <summary>Parses the string dialects: "0.3", "0,0.1,…", "IN04-IN08=0.2, M00:-0.1, default=0".</summary>
    public static WeightSpec Parse(string text, double? baseAlpha, ICollection<string> problems)
    {
        var trimmed = text.Trim();
        if (TryNumber(trimmed, out var single))
        {
            return baseAlpha is null ? FromUniform(single) : FromList([single], baseAlpha);
        }

        var parts = trimmed.Split([',', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            problems.Add("weights are empty");
            return FromUniform(0);
        }

        if (parts.Any(p => p.Contains('=', StringComparison.Ordinal) || p.Contains(':', StringComparison.Ordinal)))
        {
            var entries = new List<KeyValuePair<string, double>>();
            foreach (var part in parts)
            {
                var at = part.IndexOfAny(['=', ':']);
                if (at <= 0 || !TryNumber(part[(at + 1)..], out var value))
                {
                    problems.Add($"'{part}' is not BLOCK=NUMBER");
                    continue;
                }

                entries.Add(new(part[..at].Trim(), value));
            }

            return FromNamed(entries);
        }

        var numbers = new List<double>();
        foreach (var part in parts)
        {
            if (TryNumber(part, out var value))
            {
                numbers.Add(value);
            }
            else
            {
                problems.Add($"'{part}' in the weight list is not a number");
            }
        }

        return FromList(numbers, baseAlpha);
    }

    /// <summary>Gives every block of <paramref name="layout"/> a weight, or reports why it cannot.</summary>
    public BlockWeights? Resolve(BlockLayout layout, ICollection<string> problems)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        if (Uniform is { } u)
        {
            foreach (var b in layout.Blocks)
            {
                weights[b] = u;
            }

            return new BlockWeights(layout, weights);
        }

        if (List is { } list)
        {
            return ResolveList(layout, list, weights, problems);
        }

        return ResolveNamed(layout, Named!, weights, problems);
    }

    private BlockWeights? ResolveList(BlockLayout layout, IReadOnlyList<double> list, Dictionary<string, double> weights, ICollection<string> problems)
    {
        var standard = layout.StandardBlocks;
        var unet = standard.Skip(1).ToList();
        IReadOnlyList<double> full;
        if (BaseAlpha is { } alpha)
        {
            if (list.Count != unet.Count)
            {
                problems.Add($"base_alpha with {list.Count} weights: sd-meh form needs {unet.Count} for {layout.Architecture} (IN, M00, OUT)");
                return null;
            }

            full = [alpha, .. list];
        }
        else if (list.Count == standard.Count)
        {
            full = list;
        }
        else if (list.Count == Sd1Count && layout.Architecture == ModelArchitecture.SDXL)
        {
            // An SD1 string on SDXL: BASE, IN00-IN08 (drop IN09-IN11), M00, OUT00-OUT08 (drop OUT09-OUT11).
            full = [.. list.Take(1 + layout.InBlocks), list[13], .. list.Skip(14).Take(layout.OutBlocks)];
        }
        else if (list.Count == unet.Count)
        {
            problems.Add($"{list.Count} weights is sd-meh's form and needs base_alpha (or give {standard.Count} with BASE first)");
            return null;
        }
        else
        {
            problems.Add($"{list.Count} weights do not fit {layout.Architecture}: give {standard.Count} (supermerger, BASE first){(layout.Architecture == ModelArchitecture.SDXL ? ", 26 (an SD1 string)" : string.Empty)} or {unet.Count} with base_alpha (sd-meh)");
            return null;
        }

        for (var i = 0; i < standard.Count; i++)
        {
            weights[standard[i]] = full[i];
        }

        foreach (var (block, from) in BlockLayout.Followers.Where(f => layout.Contains(f.Block)))
        {
            weights[block] = weights[from];
        }

        return new BlockWeights(layout, weights);
    }

    private static BlockWeights? ResolveNamed(BlockLayout layout, IReadOnlyList<KeyValuePair<string, double>> entries, Dictionary<string, double> weights, ICollection<string> problems)
    {
        var before = problems.Count;
        double fallback = 0;
        var ranges = new List<(int From, int To, double Value)>();
        var singles = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            var k = key.Trim();
            if (k.Equals("default", StringComparison.OrdinalIgnoreCase) || k == "*")
            {
                fallback = value;
                continue;
            }

            var dash = k.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0)
            {
                var from = BlockLayout.Normalize(k[..dash]);
                var to = BlockLayout.Normalize(k[(dash + 1)..]);
                int fi = from is null ? -1 : layout.IndexOf(from), ti = to is null ? -1 : layout.IndexOf(to);
                if (fi < 0 || ti < 0 || fi > ti)
                {
                    problems.Add($"range '{k}' is not two {layout.Architecture} blocks in order (e.g. IN04-IN08)");
                    continue;
                }

                ranges.Add((fi, ti, value));
                continue;
            }

            var block = BlockLayout.Normalize(k);
            if (block is null || !layout.Contains(block))
            {
                problems.Add($"unknown block '{k}' for {layout.Architecture} (blocks: {layout.Blocks[0]}, {layout.Blocks[1]}…{layout.Blocks[layout.InBlocks]}, M00{(layout.Contains(BlockLayout.MiddleTail) ? ", M01" : string.Empty)}, OUT00…{layout.LastOut}{(layout.Contains(BlockLayout.Vae) ? ", VAE" : string.Empty)})");
                continue;
            }

            if (!singles.TryAdd(block, value))
            {
                problems.Add($"block {block} is given twice");
            }
        }

        if (problems.Count > before)
        {
            return null;
        }

        foreach (var b in layout.Blocks)
        {
            weights[b] = fallback;
        }

        foreach (var (from, to, value) in ranges)
        {
            for (var i = from; i <= to; i++)
            {
                weights[layout.Blocks[i]] = value;
            }
        }

        foreach (var (block, value) in singles)
        {
            weights[block] = value;
        }

        foreach (var (block, from) in BlockLayout.Followers.Where(f => layout.Contains(f.Block)))
        {
            var index = layout.IndexOf(block);
            if (!singles.ContainsKey(block) && !ranges.Any(r => r.From <= index && index <= r.To))
            {
                weights[block] = weights[from];
            }
        }

        return new BlockWeights(layout, weights);
    }

    /// <summary>Parses an invariant-culture finite number.</summary>
    public static bool TryNumber(string text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
