using Seamless.Search.Objectives;
using Seamless.Search.Optimizers;
using Seamless.Search.Space;
using Seamless.Search.Studies;
using Seamless.Storage.Sqlite;

namespace Seamless.Tests.Studies;

public sealed class StudyRunnerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("seamless-runner-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class Quadratic : IObjective
    {
        public int Calls { get; private set; }

        public Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, double fidelity, CancellationToken cancellationToken)
        {
            Calls++;
            if (parameters["x"] > 0.95)
            {
                throw new ObjectiveFailedException("out of range");
            }

            return Task.FromResult(new ObjectiveResult(-Math.Pow(parameters["x"] - 0.3, 2)));
        }
    }

    [Fact]
    public async Task Run_ToBudget_RecordsEveryTrialAndFindsOptimum()
    {
        using var store = new SqliteStudyStore(Path.Combine(_folder, "s.db"));
        var study = store.CreateStudy(new StudyConfig("q", new SearchSpace([new SearchParameter("x", 0, 1)]), "gp", 15, 1));
        var objective = new Quadratic();
        await new StudyRunner(store, new BayesianOptimizer(), objective).RunAsync(study);
        var trials = store.Trials(study.Id);
        Assert.Equal(15, trials.Count);
        Assert.Equal(15, objective.Calls);
        Assert.All(trials, t => Assert.True(t.State is TrialState.Complete or TrialState.Failed));
        var best = trials.Where(t => t.State == TrialState.Complete).Max(t => t.Value!.Value);
        Assert.True(best > -0.001, $"best {best}; x = {string.Join(", ", trials.Select(t => t.Parameters["x"].ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    [Fact]
    public async Task Run_AfterCrashWithRunningTrial_RequeuesItAndStopsAtBudget()
    {
        var db = Path.Combine(_folder, "s.db");
        using var store = new SqliteStudyStore(db);
        var study = store.CreateStudy(new StudyConfig("q", new SearchSpace([new SearchParameter("x", 0, 1)]), "random", 6, 1));
        store.Enqueue(study.Id, new Dictionary<string, double> { ["x"] = 0.4 });
        store.ClaimQueued(study.Id, $"{Environment.MachineName}:{DeadPid()}");
        var objective = new Quadratic();
        await new StudyRunner(store, new RandomSearch(), objective).RunAsync(study);
        var trials = store.Trials(study.Id);
        Assert.Equal(6, trials.Count);
        Assert.Equal(0.4, trials[0].Parameters["x"]);
        Assert.Equal(2, trials[0].Attempts);
        Assert.Equal(6, objective.Calls);
    }

    [Fact]
    public async Task Run_Cancelled_LeavesResumableStudy()
    {
        using var store = new SqliteStudyStore(Path.Combine(_folder, "s.db"));
        var study = store.CreateStudy(new StudyConfig("q", new SearchSpace([new SearchParameter("x", 0, 1)]), "random", 50, 1));
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.Finished == 3)
            {
                cancel.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new StudyRunner(store, new RandomSearch(), new Quadratic()).RunAsync(study, progress, cancel.Token));
        Assert.Equal(3, store.Trials(study.Id).Count(t => t.State is TrialState.Complete or TrialState.Failed));
    }

    private static int DeadPid()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    [Fact]
    public void RequeueAbandoned_LiveRemoteWorkerKept_StaleOrDeadLocalRequeued()
    {
        using var store = new SqliteStudyStore(Path.Combine(_folder, "s.db"));
        var study = store.CreateStudy(new StudyConfig("w", new SearchSpace([new SearchParameter("x", 0, 1)]), "random", 5, 1));
        for (var i = 0; i < 3; i++)
        {
            store.Enqueue(study.Id, new Dictionary<string, double> { ["x"] = i / 3.0 });
        }

        var remote = store.ClaimQueued(study.Id, "other-machine:4242")!;
        var deadLocal = store.ClaimQueued(study.Id, $"{Environment.MachineName}:{DeadPid()}")!;
        var liveLocal = store.ClaimQueued(study.Id, $"{Environment.MachineName}:1")!;

        new StudyRunner(store, new RandomSearch(), new Quadratic()).RequeueAbandoned(study.Id);
        var states = store.Trials(study.Id).ToDictionary(t => t.Id, t => t.State);
        Assert.Equal(TrialState.Running, states[remote.Id]);
        Assert.Equal(TrialState.Queued, states[deadLocal.Id]);
        Assert.Equal(TrialState.Running, states[liveLocal.Id]);

        new StudyRunner(store, new RandomSearch(), new Quadratic()) { StaleAfter = TimeSpan.Zero }.RequeueAbandoned(study.Id);
        Assert.Equal(TrialState.Queued, store.Trials(study.Id).Single(t => t.Id == remote.Id).State);
    }

    [Theory]
    [MemberData(nameof(StoreKinds))]
    public async Task Run_ThreeWorkersOnOneStudy_EveryTrialOnceNoPointTwice(string kind)
    {
        using var factory = new StoreFactory(kind);
        StudyRecord study;
        using (var setup = factory.Open())
        {
            study = setup.CreateStudy(new StudyConfig("shared", new SearchSpace([new SearchParameter("x", 0, 1), new SearchParameter("y", 0, 1)]), "gp", 15, 3));
        }

        var calls = 0;
        var slow = new SlowObjective(() => Interlocked.Increment(ref calls));
        await Task.WhenAll(Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            using var store = factory.Open();
            await new StudyRunner(store, new BayesianOptimizer(), slow, $"worker-{w}").RunAsync(study);
        })));

        using var check = factory.Open();
        var trials = check.Trials(study.Id);
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.Equal(trials.Count, calls);
        Assert.InRange(trials.Count, 15, 17);
        Assert.Equal(trials.Count, trials.Select(t => t.Number).Distinct().Count());
        Assert.Equal(trials.Count, trials.Select(t => (t.Parameters["x"], t.Parameters["y"])).Distinct().Count());
        Assert.True(trials.Select(t => t.Worker).Distinct().Count() >= 2, "work was shared");
    }

    public static IEnumerable<object[]> StoreKinds() => StoreFactory.Kinds();

    private sealed class DownBackend : IObjective
    {
        public int Calls;

        /// <summary>Completes at the first call: the test starts the healthy runner only then, however loaded the machine.</summary>
        public TaskCompletionSource FirstCall { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, double fidelity, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            FirstCall.TrySetResult();
            throw new ObjectiveFailedException("connection refused", backendUnavailable: true);
        }
    }

    [Theory]
    [MemberData(nameof(StoreKinds))]
    public async Task Run_OneBackendDown_ItsTrialsRequeuedToTheHealthyOneNoneFailed(string kind)
    {
        using var factory = new StoreFactory(kind);
        StudyRecord study;
        using (var setup = factory.Open())
        {
            study = setup.CreateStudy(new StudyConfig("two-backends", new SearchSpace([new SearchParameter("x", 0, 1), new SearchParameter("y", 0, 1)]), "random", 8, 4));
        }

        var down = new DownBackend();
        var setAside = new List<TimeSpan>();
        var healthy = new SlowObjective(() => { });
        using var cancel = new CancellationTokenSource();
        var broken = Task.Run(async () =>
        {
            using var store = factory.Open();
            // Long enough that, alone until the healthy runner has started (a loaded machine can take a while), the broken
            // runner cannot spend a trial's three attempts on itself.
            var runner = new StudyRunner(store, new RandomSearch(), down, "host:1#down")
            {
                SetAside = TimeSpan.FromMilliseconds(400),
                BackendSetAside = (pause, _) => { lock (setAside) { setAside.Add(pause); } },
            };
            try
            {
                await runner.RunAsync(study, cancellationToken: cancel.Token);
            }
            catch (OperationCanceledException)
            {
            }
        });
        await down.FirstCall.Task.WaitAsync(TimeSpan.FromSeconds(60));
        using (var store = factory.Open())
        {
            await new StudyRunner(store, new RandomSearch(), healthy, "host:1#up") { WaitInterval = TimeSpan.FromMilliseconds(20) }.RunAsync(study);
        }

        // The healthy runner finished the budget; the broken one is still pausing between attempts.
        await cancel.CancelAsync();
        await broken;
        using var check = factory.Open();
        var trials = check.Trials(study.Id);
        Assert.Equal(8, trials.Count(t => t.State == TrialState.Complete));
        Assert.DoesNotContain(trials, t => t.State == TrialState.Failed);
        Assert.All(trials.Where(t => t.State == TrialState.Complete), t => Assert.Equal("host:1#up", t.Worker));
        Assert.True(down.Calls >= 1);
        Assert.True(setAside.Count >= 1, "the broken runner was never set aside");
    }

    [Fact]
    public async Task Run_BackendKeepsFailing_PauseDoublesUpToTheCap()
    {
        // Alone and always failing, with attempts to spare: the pauses are 10, 20, 40, 80 ms, then capped at 100.
        using var factory = new StoreFactory("sqlite");
        using var store = factory.Open();
        var study = store.CreateStudy(new StudyConfig("down", new SearchSpace([new SearchParameter("x", 0, 1)]), "random", 2, 4));
        var pauses = new List<TimeSpan>();
        using var cancel = new CancellationTokenSource();
        var runner = new StudyRunner(store, new RandomSearch(), new DownBackend(), "host:1#down")
        {
            SetAside = TimeSpan.FromMilliseconds(10),
            MaxSetAside = TimeSpan.FromMilliseconds(100),
            MaxAttempts = 1000,
            BackendSetAside = (pause, _) =>
            {
                lock (pauses)
                {
                    pauses.Add(pause);
                    if (pauses.Count == 6)
                    {
                        cancel.Cancel();
                    }
                }
            },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(study, cancellationToken: cancel.Token));
        Assert.Equal([10, 20, 40, 80, 100, 100], pauses.Take(6).Select(p => p.TotalMilliseconds));
    }

    [ScratchPostgresFact]
    public async Task Run_DatabaseRestartedMidStudy_NoTrialLostNoneScoredTwice()
    {
        using var server = new ScratchPostgres();
        StudyRecord study;
        using (var setup = new Seamless.Storage.Postgres.PostgresStudyStore(server.Uri))
        {
            study = setup.CreateStudy(new StudyConfig("restart", new SearchSpace([new SearchParameter("x", 0, 1), new SearchParameter("y", 0, 1)]), "random", 12, 9));
        }

        var calls = 0;
        var objective = new SlowObjective(() => Interlocked.Increment(ref calls));
        var run = Task.Run(async () =>
        {
            using var store = new Seamless.Storage.Postgres.PostgresStudyStore(server.Uri);
            await new StudyRunner(store, new RandomSearch(), objective) { HeartbeatInterval = TimeSpan.FromMilliseconds(50) }.RunAsync(study);
        });
        while (Volatile.Read(ref calls) < 4 && !run.IsCompleted)
        {
            await Task.Delay(10);
        }

        server.Restart();
        await run;
        using var check = new Seamless.Storage.Postgres.PostgresStudyStore(server.Uri);
        var trials = check.Trials(study.Id);
        Assert.Equal(12, trials.Count(t => t.State == TrialState.Complete));
        Assert.Equal(trials.Count, trials.Select(t => t.Number).Distinct().Count());
        Assert.Equal(trials.Count(t => t.State == TrialState.Complete), calls);
    }

    private sealed class PruningObjective : IObjective
    {
        public Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, double fidelity, CancellationToken cancellationToken) =>
            Task.FromResult(new ObjectiveResult(parameters["x"], Count: 100, Pruned: parameters["x"] < 0.5));
    }

    [Fact]
    public async Task Run_PrunedResults_RecordedAsPrunedAndModelled()
    {
        using var store = new Seamless.Storage.Sqlite.SqliteStudyStore(Path.Combine(_folder, "pruned.db"));
        var study = store.CreateStudy(new StudyConfig("pruned", new SearchSpace([new SearchParameter("x", 0, 1)]), "random", 12, 5));
        await new StudyRunner(store, new RandomSearch(), new PruningObjective()).RunAsync(study);
        var trials = store.Trials(study.Id);
        Assert.Equal(12, trials.Count);
        Assert.All(trials, t => Assert.Equal(t.Parameters["x"] < 0.5 ? TrialState.Pruned : TrialState.Complete, t.State));
        Assert.All(trials, t => Assert.NotNull(t.Value));
        Assert.Equal(12, StudyRunner.Observations(study.Config, trials).Count);
    }

    [Fact]
    public async Task Run_OnlyBackendDown_TrialFailsAfterItsAttempts()
    {
        using var store = new Seamless.Storage.Sqlite.SqliteStudyStore(Path.Combine(_folder, "down.db"));
        var study = store.CreateStudy(new StudyConfig("down", new SearchSpace([new SearchParameter("x", 0, 1)]), "random", 2, 4));
        var down = new DownBackend();
        await new StudyRunner(store, new RandomSearch(), down) { SetAside = TimeSpan.FromMilliseconds(5), MaxAttempts = 3 }.RunAsync(study);
        var trials = store.Trials(study.Id);
        Assert.Equal(2, trials.Count);
        Assert.All(trials, t =>
        {
            Assert.Equal(TrialState.Failed, t.State);
            Assert.Equal(3, t.Attempts);
            Assert.Contains("after 3 attempts", t.Error, StringComparison.Ordinal);
        });
        Assert.Equal(6, down.Calls);
    }

    [Fact]
    public async Task Run_RestOfTheBudgetRunningElsewhere_ToldOutOfWorkWhileStillWaiting()
    {
        // "held" has the last trial and keeps it until released; "quick" runs the others, then has nothing to do.
        using var factory = new StoreFactory("sqlite");
        StudyRecord study;
        using (var setup = factory.Open())
        {
            study = setup.CreateStudy(new StudyConfig("out-of-work", new SearchSpace([new SearchParameter("x", 0, 1), new SearchParameter("y", 0, 1)]), "random", 4, 4));
        }

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var quickOut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var heldOut = 0;
        var held = Task.Run(async () =>
        {
            using var store = factory.Open();
            await new StudyRunner(store, new RandomSearch(), new GatedObjective(holding, release.Task), "host:1#held") { WaitInterval = TimeSpan.FromMilliseconds(20), OutOfWork = () => Interlocked.Increment(ref heldOut) }.RunAsync(study);
        });
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var quick = Task.Run(async () =>
        {
            using var store = factory.Open();
            await new StudyRunner(store, new RandomSearch(), new SlowObjective(() => { }), "host:1#quick") { WaitInterval = TimeSpan.FromMilliseconds(20), OutOfWork = () => quickOut.TrySetResult() }.RunAsync(study);
        });

        await quickOut.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(quick.IsCompleted, "the quick runner waits for the held trial (it might come back), yet it was told it is out of work");
        Assert.Equal(0, Volatile.Read(ref heldOut));
        release.SetResult();
        await Task.WhenAll(held, quick).WaitAsync(TimeSpan.FromSeconds(60));
        using var check = factory.Open();
        Assert.Equal(4, check.Trials(study.Id).Count(t => t.State == TrialState.Complete));
    }

    /// <summary>Holds its first trial until released; later ones score at once.</summary>
    private sealed class GatedObjective(TaskCompletionSource holding, Task release) : IObjective
    {
        public async Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, double fidelity, CancellationToken cancellationToken)
        {
            if (holding.TrySetResult())
            {
                await release.WaitAsync(cancellationToken);
            }

            return new ObjectiveResult(parameters["x"]);
        }
    }

    private sealed class SlowObjective(Action onCall) : IObjective
    {
        public async Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, double fidelity, CancellationToken cancellationToken)
        {
            onCall();
            await Task.Delay(30, cancellationToken);
            return new ObjectiveResult(-Math.Pow(parameters["x"] - 0.3, 2) - Math.Pow(parameters["y"] - 0.6, 2));
        }
    }

    private sealed class FidelityRecorder : IObjective
    {
        public List<double> Fidelities { get; } = [];

        public Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, double fidelity, CancellationToken cancellationToken)
        {
            Fidelities.Add(fidelity);
            var p = 0.7 - Math.Pow(parameters["x"] - 0.3, 2);
            return Task.FromResult(new ObjectiveResult(p, Count: (long)(20_000 * fidelity)));
        }
    }

    [Fact]
    public async Task Run_MultiFidelity_BudgetCountsCostAndBestLowPointsArePromoted()
    {
        using var store = new SqliteStudyStore(Path.Combine(_folder, "s.db"));
        var config = new StudyConfig("mf", new SearchSpace([new SearchParameter("x", 0, 1)]), "gp", 6, 1, Fidelity: new FidelityPlan(0.25, 0.25));
        var study = store.CreateStudy(config);
        var objective = new FidelityRecorder();
        await new StudyRunner(store, new BayesianOptimizer(), objective).RunAsync(study);
        var trials = store.Trials(study.Id);
        var cost = StudyRunner.Cost(trials);
        Assert.InRange(cost, 6, 7);
        var low = trials.Where(t => t.Fidelity < 1).ToList();
        var full = trials.Where(t => t.Fidelity >= 1).ToList();
        Assert.Equal(0.25, low[0].Fidelity);
        Assert.True(full.Count >= Math.Floor(low.Count * 0.25) && full.Count > 0, $"{full.Count} full for {low.Count} low");
        Assert.All(full, f => Assert.Contains(low, l => l.Parameters["x"] == f.Parameters["x"]));
        Assert.Equal(trials.Select(t => t.Fidelity), objective.Fidelities);
    }

    private sealed class SyncProgress(Action<StudyProgress> report) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value) => report(value);
    }
}
