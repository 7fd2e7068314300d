namespace Seamless.Search.Merges.Configuration;

/// <summary>A searched weight's range, as <c>[low, high]</c> in a search configuration; low &lt; high.</summary>
public readonly record struct WeightBounds(double Low, double High);
