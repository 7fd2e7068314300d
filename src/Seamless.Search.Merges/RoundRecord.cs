namespace Seamless.Search.Merges;

/// <summary>One finished round of the lineage: what it merged, which trial won, and the model it produced.</summary>
public sealed record RoundRecord(int Round, string Study, string Base, string Drawn, int Trial, double? Score, string Output);
