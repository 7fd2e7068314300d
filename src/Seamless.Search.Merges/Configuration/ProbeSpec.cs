namespace Seamless.Search.Merges.Configuration;

/// <summary>
/// One entry of <c>probes</c>: <c>zeros</c> (the base alone), <c>models</c> (each input model alone), or a point whose
/// unnamed parameters are 0.
/// </summary>
public sealed record ProbeSpec(string? Named, IReadOnlyDictionary<string, double>? Point)
{
    public const string Zeros = "zeros";
    public const string Models = "models";

    public static ProbeSpec At(IReadOnlyDictionary<string, double> point) => new(null, point);

    public static ProbeSpec Of(string name) => new(name, null);

    public bool Equals(ProbeSpec? other) =>
        other is not null && Named == other.Named
        && Structural.Maps(Point, other.Point);

    public override int GetHashCode() => HashCode.Combine(Named, Point?.Count);
}
