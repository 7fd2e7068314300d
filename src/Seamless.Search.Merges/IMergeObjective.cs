using Seamless.Search.Objectives;

namespace Seamless.Search.Merges;

/// <summary>
/// Scores one trial of a merge search: its parameters, and the merged checkpoint they stand for as a file, or null
/// where the objective merges in memory itself (<see cref="InMemory"/>). <see cref="MergeTrialObjective"/> writes the
/// file and hands the study runner a plain <see cref="IObjective"/>.
/// </summary>
public interface IMergeObjective
{
    /// <summary>True when no file is needed: the objective merges the trial's recipe itself.</summary>
    bool InMemory { get; }

    Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, string? modelPath, double fidelity, CancellationToken cancellationToken);
}
