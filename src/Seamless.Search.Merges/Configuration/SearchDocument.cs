using Seamless.Search.Studies;

namespace Seamless.Search.Merges.Configuration;

/// <summary>
/// A search configuration as written (YAML or JSON), typed: every key optional, each value in its shape (paths as
/// written, relative to the file). <see cref="SearchDocumentReader"/> makes one and reports wrong shapes;
/// <see cref="MergeSearchConfigBuilder"/> checks what the values mean (files, blocks, parameters) and builds the
/// <see cref="MergeSearchConfig"/>; <see cref="SearchDocumentWriter"/> writes one back.
/// </summary>
public sealed record SearchDocument
{
    public string? Name { get; init; }

    /// <summary>A SQLite file or a <c>postgresql://</c> URI.</summary>
    public string? Storage { get; init; }

    public string? Base { get; init; }

    public IReadOnlyList<string>? Models { get; init; }

    public string? Method { get; init; }

    public string? OutputDtype { get; init; }

    /// <summary><c>block_map</c>: key → value as written (<c>{time_embed: in00, vae: base}</c>).</summary>
    public IReadOnlyDictionary<string, string>? BlockMap { get; init; }

    /// <summary>Null: every standard block, one group each.</summary>
    public BlockSelection? Blocks { get; init; }

    public WeightBounds? Bounds { get; init; }

    /// <summary>Per group (as named under <c>blocks</c>), bounds other than <see cref="Bounds"/>.</summary>
    public IReadOnlyDictionary<string, WeightBounds>? BlockBounds { get; init; }

    /// <summary>Parameters (MODEL:GROUP) held at a value instead of searched.</summary>
    public IReadOnlyDictionary<string, double>? Fixed { get; init; }

    /// <summary>Null: the base alone (zeros) first.</summary>
    public IReadOnlyList<ProbeSpec>? Probes { get; init; }

    public ObjectiveDocument? Objective { get; init; }

    public string? Optimizer { get; init; }

    public int? Budget { get; init; }

    public int? Seed { get; init; }

    public string? Work { get; init; }

    /// <summary><c>none</c> or <c>sum_le_1</c>.</summary>
    public string? Constraint { get; init; }

    public int? KeepBest { get; init; }

    public RoundsDocument? Rounds { get; init; }

    public FidelityPlan? Fidelity { get; init; }

    public bool Equals(SearchDocument? other) =>
        other is not null
        && Name == other.Name && Storage == other.Storage && Base == other.Base && Structural.Lists(Models, other.Models)
        && Method == other.Method && OutputDtype == other.OutputDtype && Structural.Maps(BlockMap, other.BlockMap)
        && Equals(Blocks, other.Blocks) && Bounds == other.Bounds && Structural.Maps(BlockBounds, other.BlockBounds) && Structural.Maps(Fixed, other.Fixed)
        && Structural.Lists(Probes, other.Probes) && Equals(Objective, other.Objective) && Optimizer == other.Optimizer && Budget == other.Budget
        && Seed == other.Seed && Work == other.Work && Constraint == other.Constraint && KeepBest == other.KeepBest
        && Equals(Rounds, other.Rounds) && Equals(Fidelity, other.Fidelity);

    public override int GetHashCode() => HashCode.Combine(Name, Base, Models?.Count, Budget, Seed);
}
