namespace Seamless.Search.Objectives;

/// <summary>
/// An evaluation that produced no score; the trial is recorded as failed with this message and the study goes on.
/// When <see cref="BackendUnavailable"/> is set the fault lies with the machinery (a server down, misconfigured,
/// returning garbage), not the candidate: the runner re-queues the trial for another attempt, possibly on another
/// backend, and sets its own backend aside for a while.
/// </summary>
public sealed class ObjectiveFailedException(string message, bool backendUnavailable = false) : Exception(message)
{
    public bool BackendUnavailable { get; } = backendUnavailable;
}
