using System.Diagnostics;
using Seamless.Search.Objectives;
using Seamless.Search.Optimizers;

namespace Seamless.Search.Studies;

/// <summary>Progress of a study: finished trials, their cost (Σ fidelity) against the budget, and the current best.</summary>
public sealed record StudyProgress(int Finished, int Budget, Trial? Last, double? Best, double Cost);

/// <summary>
/// Runs a study to its budget: re-queues trials left running by a crash, runs queued trials first, then asks the
/// optimiser for new points. Every step goes through the store, so stopping at any moment (Ctrl-C, kill -9)
/// loses at most the evaluation in progress, which is re-queued on resume, never dropped or counted twice.
/// Several runners (processes, machines) can share a study: each running trial carries its worker's identity
/// (machine:pid) and a heartbeat, and a trial is re-queued only when its worker is a dead process on this machine
/// or its heartbeat is older than <see cref="StaleAfter"/>.
/// </summary>
public sealed class StudyRunner(IStudyStore store, IOptimizer optimizer, IObjective objective, string? worker = null)
{
    private readonly string _worker = worker ?? $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>How often a running trial's heartbeat is refreshed.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A running trial whose heartbeat is older than this is taken to be abandoned (its worker died elsewhere).</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Optional repair of a proposal before it is queued (e.g. to satisfy a constraint); the repaired point is the one stored and modelled.</summary>
    public Func<IReadOnlyDictionary<string, double>, IReadOnlyDictionary<string, double>>? Repair { get; init; }

    /// <summary>Called after every finished trial, with the study's trials.</summary>
    public Action<IReadOnlyList<Trial>>? AfterTrial { get; init; }

    /// <summary>How often a runner with nothing to claim checks whether trials running elsewhere finished or came back.</summary>
    public TimeSpan WaitInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Told when this runner runs out of work: the rest of the budget is running on other workers, and it only waits in
    /// case one of their trials comes back. Its backend is free from then on for closing work (told again if it later
    /// ran a trial that came back).
    /// </summary>
    public Action? OutOfWork { get; init; }

    /// <summary>Attempts a trial gets when its backend is unavailable before it is recorded as failed.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>First pause of this runner after its backend failed; doubles per consecutive failure up to <see cref="MaxSetAside"/>.</summary>
    public TimeSpan SetAside { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxSetAside { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Told when this runner's backend is set aside: for how long, and why.</summary>
    public Action<TimeSpan, string>? BackendSetAside { get; init; }

    public async Task RunAsync(StudyRecord study, IProgress<StudyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        LiveWorkers[_worker] = 0;
        try
        {
            await RunLoopAsync(study, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            LiveWorkers.TryRemove(_worker, out _);
        }
    }

    /// <summary>Worker ids of the runners running in this process now.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> LiveWorkers = new(StringComparer.Ordinal);

    private async Task RunLoopAsync(StudyRecord study, IProgress<StudyProgress>? progress, CancellationToken cancellationToken)
    {
        var config = study.Config;
        var consecutiveFailures = 0;
        var givenBack = new HashSet<long>();
        var outOfWork = false;
        RequeueAbandoned(study.Id);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Queued trials were proposed within the budget, so they always run (none is left behind); new points are
            // proposed only while finished plus running work is below the budget.
            // A trial this runner gave back because its backend failed is left to other workers while any is active;
            // alone, the runner retries it itself (it fails after MaxAttempts).
            var skip = givenBack.Count > 0 && OthersActive(study.Id) ? givenBack : null;
            var trial = store.ClaimQueued(study.Id, _worker, skip);
            if (trial is null)
            {
                var trials = store.Trials(study.Id);
                var inFlight = trials.Where(t => t.State is TrialState.Running or TrialState.Queued).Sum(t => t.Fidelity);
                if (Cost(trials) >= config.Budget - 1e-9)
                {
                    return;
                }

                if (Cost(trials) + inFlight >= config.Budget - 1e-9)
                {
                    // The rest of the budget is running elsewhere. Stay until it finishes: a trial given back by a
                    // failing backend, or abandoned by a dead worker, comes back to the queue for this runner.
                    if (!outOfWork)
                    {
                        outOfWork = true;
                        OutOfWork?.Invoke();
                    }

                    await Task.Delay(WaitInterval, cancellationToken).ConfigureAwait(false);
                    RequeueAbandoned(study.Id);
                    continue;
                }

                if (config.Fidelity is { } plan && Promotion(config, plan, trials) is { } promoted)
                {
                    store.Enqueue(study.Id, promoted.Parameters, 1);
                    continue;
                }

                var observations = Observations(config, trials);

                // Failed points count as pending: the optimiser neither re-proposes them nor models them as scores.
                var pending = trials.Where(t => t.State is TrialState.Running or TrialState.Queued or TrialState.Failed).Select(t => config.Space.ToUnit(t.Parameters)).ToList();
                Propose(study, config, observations, pending);
                continue;
            }

            outOfWork = false;
            TrialResult result;
            bool unavailable;
            using (new Timer(_ => store.Heartbeat(trial.Id, _worker), null, HeartbeatInterval, HeartbeatInterval))
            {
                (result, unavailable) = await EvaluateAsync(trial, cancellationToken).ConfigureAwait(false);
            }

            if (unavailable)
            {
                // Not the candidate's fault: give the trial back (another backend may take it) unless it has had its
                // attempts, and keep this backend out of the way for a while, longer each time it fails again.
                consecutiveFailures++;
                var pause = TimeSpan.FromTicks(Math.Min(MaxSetAside.Ticks, SetAside.Ticks * (1L << Math.Min(20, consecutiveFailures - 1))));
                if (trial.Attempts < MaxAttempts && store.Requeue(trial.Id, _worker))
                {
                    givenBack.Add(trial.Id);
                    BackendSetAside?.Invoke(pause, result.Error ?? "backend unavailable");
                    await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                result = result with { Error = $"{result.Error} (after {trial.Attempts} attempts)" };
                BackendSetAside?.Invoke(pause, result.Error);
                store.Finish(trial.Id, _worker, result);
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                consecutiveFailures = 0;
                store.Finish(trial.Id, _worker, result);
            }

            var all = store.Trials(study.Id);
            AfterTrial?.Invoke(all);
            var best = all.Where(t => t.State == TrialState.Complete).Select(t => t.Value!.Value).DefaultIfEmpty(double.NaN);
            var finished = all.Count(t => t.State is TrialState.Complete or TrialState.Failed or TrialState.Pruned);
            progress?.Report(new StudyProgress(finished, config.Budget, all.First(t => t.Id == trial.Id), config.Maximize ? best.Max() : best.Min(), Cost(all)));
        }
    }

    /// <summary>Another worker is running a trial, or finished one within the last minute.</summary>
    private bool OthersActive(long studyId)
    {
        var recent = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1);
        return store.Trials(studyId).Any(t => t.Worker is not null && t.Worker != _worker &&
            (t.State == TrialState.Running || (t.Finished is { } f && f > recent)));
    }

    // Two runners asking at the same moment from the same store state would draw the same point (proposals are
    // deterministic in the seed and the number of points asked). The store atomically refuses a point any trial
    // already has; then ask again with a salted seed.
    private void Propose(StudyRecord study, StudyConfig config, List<Observation> observations, List<double[]> pending)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var point = optimizer.Ask(config.Space.Dimensions, observations, pending, 1, config.Seed + (attempt * 7919))[0];
            IReadOnlyDictionary<string, double> parameters = config.Space.FromUnit(point);
            if (Repair is not null)
            {
                parameters = Repair(parameters);
            }

            if (store.EnqueueIfNew(study.Id, parameters, config.Fidelity?.Low ?? 1) is not null)
            {
                return;
            }

            // Another worker queued this point meanwhile: look again, so the point it took is pending for the model too.
            var fresh = store.Trials(study.Id);
            observations = Observations(config, fresh);
            pending = fresh.Where(t => t.State is TrialState.Running or TrialState.Queued or TrialState.Failed).Select(t => config.Space.ToUnit(t.Parameters)).ToList();
        }

        // Guaranteed progress: a uniformly random point (the optimiser kept proposing points that exist). The stream is
        // salted with this worker's id, so two workers falling back at the same moment draw different points, and the
        // store still refuses a duplicate.
        var random = Optimizers.Seeds.Random(config.Seed, -7 - observations.Count - (int)(Hashing.StableHash.Of(_worker) & 0xFFFFFF));
        for (var attempt = 0; attempt < 64; attempt++)
        {
            IReadOnlyDictionary<string, double> fallback = config.Space.FromUnit(Enumerable.Range(0, config.Space.Dimensions).Select(_ => random.NextDouble()).ToArray());
            if (store.EnqueueIfNew(study.Id, Repair?.Invoke(fallback) ?? fallback, config.Fidelity?.Low ?? 1) is not null)
            {
                return;
            }
        }
    }

    /// <summary>Re-queues trials whose worker is a dead process on this machine, and trials whose heartbeat went stale.</summary>
    public void RequeueAbandoned(long studyId)
    {
        foreach (var t in store.Trials(studyId).Where(t => t.State == TrialState.Running && t.Worker is not null))
        {
            if (IsDeadLocalWorker(t.Worker!))
            {
                store.Requeue(t.Id, t.Worker!);
            }
        }

        store.RequeueStale(studyId, StaleAfter);
    }

    internal static bool IsDeadLocalWorker(string worker)
    {
        // Runners in one process are "machine:pid#k"; the process is what lives or dies.
        var full = worker;
        var hash = worker.IndexOf('#', StringComparison.Ordinal);
        worker = hash > 0 ? worker[..hash] : worker;
        var colon = worker.LastIndexOf(':');
        if (colon <= 0 || worker[..colon] != Environment.MachineName || !int.TryParse(worker.AsSpan(colon + 1), out var pid))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            // A runner of this process that is not running now (e.g. a cancelled run resumed in the same process) is
            // dead; a sibling runner working for another backend is not.
            return !LiveWorkers.ContainsKey(full);
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>What finished trials cost, in full evaluations (Σ fidelity).</summary>
    public static double Cost(IReadOnlyList<Trial> trials) =>
        trials.Where(t => t.State is TrialState.Complete or TrialState.Failed or TrialState.Pruned).Sum(t => t.Fidelity);

    /// <summary>The low-fidelity trial to evaluate in full next, when full evaluations lag the plan's share.</summary>
    public static Trial? Promotion(StudyConfig config, FidelityPlan plan, IReadOnlyList<Trial> trials)
    {
        var low = trials.Where(t => t.State == TrialState.Complete && t.Fidelity < 1).ToList();
        var full = trials.Where(t => t.Fidelity >= 1 && t.State != TrialState.Failed).ToList();
        if (full.Count >= Math.Floor(low.Count * plan.Promote))
        {
            return null;
        }

        bool Evaluated(Trial t) => full.Any(f => f.Parameters.All(kv => t.Parameters.TryGetValue(kv.Key, out var v) && v == kv.Value));
        var ranked = config.Maximize ? low.OrderByDescending(t => t.Value) : low.OrderBy(t => t.Value);
        return ranked.FirstOrDefault(t => !Evaluated(t));
    }

    /// <summary>
    /// Completed and pruned trials as maximisation observations in the unit cube: a pruned trial's partial score is an
    /// unbiased, noisier estimate (its noise variance says how much), so the model learns from it too.
    /// </summary>
    public static List<Observation> Observations(StudyConfig config, IReadOnlyList<Trial> trials) =>
        trials.Where(t => t.State is TrialState.Complete or TrialState.Pruned && t.Value is not null)
            .Select(t => new Observation(config.Space.ToUnit(t.Parameters), config.Maximize ? t.Value!.Value : -t.Value!.Value, t.NoiseVariance))
            .ToList();

    private async Task<(TrialResult Result, bool BackendUnavailable)> EvaluateAsync(Trial trial, CancellationToken cancellationToken)
    {
        try
        {
            var r = await objective.EvaluateAsync(trial.Number, trial.Parameters, trial.Fidelity, cancellationToken).ConfigureAwait(false);
            return (new TrialResult(r.Pruned ? TrialState.Pruned : TrialState.Complete, r.Value, r.NoiseVariance, r.IntervalLow, r.IntervalHigh, r.Categories, Metrics: r.Metrics), false);
        }
        catch (ObjectiveFailedException e)
        {
            return (new TrialResult(TrialState.Failed, Error: e.Message), e.BackendUnavailable);
        }
        catch (Errors.SeamlessException e)
        {
            return (new TrialResult(TrialState.Failed, Error: e.Message), false);
        }
    }
}
