namespace Seamless.Search.Studies;

/// <summary>
/// Durable storage of studies and trials. Every state change is one transaction, so a study survives a kill at
/// any moment. Claims are atomic, so several workers (processes or machines) can share a study.
/// </summary>
public interface IStudyStore : IDisposable
{
    StudyRecord CreateStudy(StudyConfig config);

    StudyRecord? FindStudy(string name);

    /// <summary>Copies a study and all its trials, as they are, in one transaction (<c>seamless study migrate</c>).</summary>
    StudyRecord Import(StudyConfig config, IReadOnlyList<Trial> trials);

    IReadOnlyList<StudyRecord> ListStudies();

    IReadOnlyList<Trial> Trials(long studyId);

    /// <summary>Adds a trial with the next number in state Queued, to be evaluated at <paramref name="fidelity"/>.</summary>
    Trial Enqueue(long studyId, IReadOnlyDictionary<string, double> parameters, double fidelity = 1);

    /// <summary>
    /// Like <see cref="Enqueue"/>, but atomically refuses (returns null) when any trial of the study already has
    /// exactly these parameters: several workers proposing at once never evaluate the same point twice (a promotion to
    /// full fidelity, which re-evaluates on purpose, uses <see cref="Enqueue"/>).
    /// </summary>
    Trial? EnqueueIfNew(long studyId, IReadOnlyDictionary<string, double> parameters, double fidelity = 1);

    /// <summary>
    /// Atomically moves the oldest queued trial, other than those in <paramref name="skip"/>, to Running for
    /// <paramref name="worker"/>; null when none is queued.
    /// </summary>
    Trial? ClaimQueued(long studyId, string worker, IReadOnlyCollection<long>? skip = null);

    /// <summary>Records a Running trial's outcome. Returns false if the trial was no longer running for this worker (it was re-queued).</summary>
    bool Finish(long trialId, string worker, TrialResult result);

    /// <summary>Refreshes a running trial's heartbeat.</summary>
    void Heartbeat(long trialId, string worker);

    /// <summary>Moves one Running trial of <paramref name="worker"/> back to Queued (its worker is known to be dead). Returns false if it was not running for that worker.</summary>
    bool Requeue(long trialId, string worker);

    /// <summary>Moves Running trials whose heartbeat is older than <paramref name="staleAfter"/> (or all, when null) back to Queued.</summary>
    int RequeueStale(long studyId, TimeSpan? staleAfter);
}
