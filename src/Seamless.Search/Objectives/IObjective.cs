namespace Seamless.Search.Objectives;

/// <summary>
/// Scores one trial's parameters at a fidelity in (0, 1]: the fraction of the full evaluation to spend (for tag
/// accuracy, of the prompts). Throws <see cref="ObjectiveFailedException"/> when it cannot. What the parameters stand
/// for (a merge, a file) is the objective's business: merge searches wrap theirs in <c>MergeTrialObjective</c>.
/// </summary>
public interface IObjective
{
    Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, double fidelity, CancellationToken cancellationToken);
}
