namespace Seamless.Dashboard.Model;

/// <summary>One row of the study list: cheap to compute (no model fit), so the list stays live on large studies.</summary>
public sealed record StudySummary(
    string Name,
    string? Architecture,
    IReadOnlyList<string> Models,
    string Optimizer,
    int Budget,
    int Trials,
    int Finished,
    TrialCounts Counts,
    ScoreWithInterval? BestObserved,
    double? EtaSeconds,
    RoundPosition? Round,
    IReadOnlyList<WorkerState> Workers,
    string Signature);

/// <summary>Trials by state.</summary>
public sealed record TrialCounts(int Queued, int Running, int Complete, int Pruned, int Failed);

/// <summary>A trial's score with its 95 % interval, when the objective gave one.</summary>
public sealed record ScoreWithInterval(int Trial, double Value, double? Low, double? High);

/// <summary>A study that is round <see cref="Index"/> of a rounds search (<c>NAME-roundK</c>).</summary>
public sealed record RoundPosition(string Lineage, int Index, int? Of);

/// <summary>A worker with a running trial and the age of its last heartbeat.</summary>
public sealed record WorkerState(string Worker, int Trial, double? HeartbeatAgeSeconds);
