using System.Globalization;
using System.Text.RegularExpressions;

namespace Seamless.Evaluation.Diversity;

/// <summary>
/// A search's least acceptable diversity: an absolute value (<c>0.1</c>) or a multiple of the base model's
/// (<c>0.9x</c>, <c>0.9×</c>, <c>0.9 × base</c>, <c>0.9*base</c>), so that a merge that collapses variety does not win.
/// </summary>
public sealed partial record DiversityFloor(double Value, bool RelativeToBase)
{
    [GeneratedRegex(@"^\s*(?<v>[0-9]*\.?[0-9]+)\s*(?:(?<rel>[x×*])\s*(?:base)?|(?<rel>[x×*]?)\s*base)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Form();

    /// <summary>Null (with <paramref name="problem"/> set) when the text is neither form or out of range.</summary>
    public static DiversityFloor? TryParse(string text, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        problem = null;
        var m = Form().Match(text);
        if (!m.Success || !double.TryParse(m.Groups["v"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            problem = $"'{text}' is neither a diversity (0.1) nor a multiple of the base's (0.9x)";
            return null;
        }

        var relative = m.Groups["rel"].Success && (m.Groups["rel"].Length > 0 || text.Contains("base", StringComparison.OrdinalIgnoreCase));
        if (relative ? v is <= 0 or > 1 : v is <= 0 or >= 2)
        {
            problem = relative ? $"'{text}': the multiple of the base's diversity must be in (0, 1]" : $"'{text}': a diversity is between 0 and 2 (1 − a cosine)";
            return null;
        }

        return new DiversityFloor(v, relative);
    }

    /// <summary>The floor for a base of diversity <paramref name="baseDiversity"/>.</summary>
    public double Resolve(double? baseDiversity) =>
        !RelativeToBase ? Value
        : baseDiversity is { } b ? Value * b
        : throw new InvalidOperationException("a relative diversity floor needs the base's diversity");

    /// <summary>
    /// The value a search sees: unchanged at or above the floor, scaled by diversity / floor below it — continuous, so
    /// the optimiser's surface stays smooth, and a candidate 10 % short of the floor loses 10 % of its score.
    /// </summary>
    public static double Penalised(double value, double diversity, double floor) =>
        diversity >= floor || floor <= 0 ? value : value * Math.Max(0, diversity) / floor;

    public override string ToString() =>
        RelativeToBase ? string.Create(CultureInfo.InvariantCulture, $"{Value:G4}× the base's") : Value.ToString("G4", CultureInfo.InvariantCulture);
}
