namespace Seamless.Search.Objectives;

/// <summary>Scores one trial's parameters. Throws <see cref="ObjectiveFailedException"/> when it cannot.</summary>
public interface IObjective
{
    Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, string? modelPath, CancellationToken cancellationToken);
}
