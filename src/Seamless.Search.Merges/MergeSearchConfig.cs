using Seamless.Architecture;
using Seamless.Safetensors;
using Seamless.Search.Studies;

namespace Seamless.Search.Merges;

/// <summary>
/// A merge search: which models, which blocks are searched (one parameter per model per group), their bounds,
/// the objective and the budget. Validated by <see cref="MergeSearchConfigLoader"/> before any trial.
/// <see cref="SumAtMostOne"/> keeps Σ of the models' weights per block ≤ 1 (the base's share 1 − Σw stays ≥ 0);
/// <see cref="KeepBest"/> keeps the candidate files of the K best trials in the work folder. The objective is either
/// <see cref="ObjectiveCommand"/> or built-in tag accuracy, whose options (<see cref="TagAccuracy"/>, the
/// <c>seamless bench</c> option names with underscores) the command line validates and wires.
/// </summary>
public sealed record MergeSearchConfig(
    string Name,
    string Storage,
    string BasePath,
    IReadOnlyList<string> Models,
    string Method,
    DType OutputDType,
    BlockMapOptions BlockMap,
    IReadOnlyList<BlockGroup> Groups,
    IReadOnlyDictionary<string, double> Fixed,
    IReadOnlyList<IReadOnlyDictionary<string, double>> Probes,
    string ObjectiveCommand,
    double? TimeoutSeconds,
    string Optimizer,
    int Budget,
    int Seed,
    string WorkFolder,
    ModelArchitecture Architecture,
    bool SumAtMostOne = false,
    int KeepBest = 0,
    RoundPlan? Rounds = null,
    FidelityPlan? Fidelity = null,
    IReadOnlyDictionary<string, string>? TagAccuracy = null);
