namespace Seamless.Search.Space;

/// <summary>One searched number with its bounds (low &lt; high).</summary>
public sealed record SearchParameter(string Name, double Low, double High)
{
    public double ToUnit(double value) => (value - Low) / (High - Low);

    public double FromUnit(double unit) => Low + (Math.Clamp(unit, 0, 1) * (High - Low));
}
