using System.Globalization;

namespace Seamless.Merging;

/// <summary>One weight per block of a layout, resolved and complete. Immutable.</summary>
public sealed class BlockWeights
{
    private readonly Dictionary<string, double> _weights;

    public BlockWeights(Architecture.BlockLayout layout, IReadOnlyDictionary<string, double> weights)
    {
        Layout = layout;
        var missing = layout.Blocks.Where(b => !weights.ContainsKey(b)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"no weight for {string.Join(", ", missing)}", nameof(weights));
        }

        _weights = layout.Blocks.ToDictionary(b => b, b => weights[b], StringComparer.Ordinal);
    }

    public Architecture.BlockLayout Layout { get; }

    public double this[string block] => _weights[block];

    /// <summary>Weights in layout order.</summary>
    public IReadOnlyList<double> Values => Layout.Blocks.Select(b => _weights[b]).ToList();

    public IReadOnlyDictionary<string, double> AsDictionary() => _weights;

    /// <summary>supermerger form: every standard block in order, BASE first, comma-separated.</summary>
    /// <summary>The supermerger weight string; full precision (round-trips), or rounded to <paramref name="decimals"/> for people to read.</summary>
    public string ToSupermerger(int? decimals = null) =>
        string.Join(",", Layout.StandardBlocks.Select(b => decimals is { } places ? FormatRounded(_weights[b], places) : Format(_weights[b])));

    /// <summary>sd-meh form: base_alpha and the IN/M/OUT weights.</summary>
    public (double BaseAlpha, string Weights) ToSdMeh() =>
        (_weights[Architecture.BlockLayout.Base], string.Join(",", Layout.StandardBlocks.Skip(1).Select(b => Format(_weights[b]))));

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>At most <paramref name="decimals"/> decimals, no trailing zeros, never an exponent (0.53015612 → 0.5302).</summary>
    public static string FormatRounded(double value, int decimals)
    {
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        return (rounded == 0 ? 0 : rounded).ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }
}
