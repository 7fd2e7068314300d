namespace Seamless.Search.Objectives;

/// <summary>
/// Scores one trial's parameters at a fidelity in (0, 1]: the fraction of the full evaluation to spend (for tag
/// accuracy, of the prompts). Throws <see cref="ObjectiveFailedException"/> when it cannot.
/// </summary>
public interface IObjective
{
    Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, string? modelPath, double fidelity, CancellationToken cancellationToken);
}
