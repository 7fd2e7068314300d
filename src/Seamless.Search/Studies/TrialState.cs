namespace Seamless.Search.Studies;

/// <summary>Life cycle of a trial. Queued trials (new, or re-queued after a crash) run before new proposals.</summary>
public enum TrialState
{
    Queued,
    Running,
    Complete,
    Failed,
    Pruned,
}
