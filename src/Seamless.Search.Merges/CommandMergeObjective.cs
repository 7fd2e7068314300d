using Seamless.Search.Objectives;

namespace Seamless.Search.Merges;

/// <summary>A search's <c>objective: {command: …}</c>: the program gets the trial's merged checkpoint as <c>"model"</c>.</summary>
public sealed class CommandMergeObjective(CommandObjective command) : IMergeObjective
{
    public bool InMemory => false;

    public Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, string? modelPath, double fidelity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.EvaluateAsync(trialNumber, parameters, modelPath, fidelity, cancellationToken);
    }
}
