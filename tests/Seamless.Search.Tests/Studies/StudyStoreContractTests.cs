using Seamless.Search.Space;
using Seamless.Search.Studies;
using Seamless.Storage.Sqlite;

namespace Seamless.Tests.Studies;

/// <summary>The study store contract, run on every real store (SQLite always, PostgreSQL when a server is given).</summary>
public sealed class StudyStoreContractTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("seamless-store-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Db => Path.Combine(_folder, "studies.db");

    public static IEnumerable<object[]> Kinds() => StoreFactory.Kinds();

    private static StudyConfig Config(string name = "s") =>
        new(name, new SearchSpace([new SearchParameter("a", 0, 1), new SearchParameter("b", -1, 1)]), "gp", 10, 3, "maximize", "echo 1");

    [Theory]
    [MemberData(nameof(Kinds))]
    public void CreateEnqueueClaimFinish_SurvivesReopening(string kind)
    {
        using var factory = new StoreFactory(kind);
        long studyId;
        using (var store = factory.Open())
        {
            studyId = store.CreateStudy(Config()).Id;
            var queued = store.Enqueue(studyId, new Dictionary<string, double> { ["a"] = 0.25, ["b"] = -0.5 });
            Assert.Equal(0, queued.Number);
            var claimed = store.ClaimQueued(studyId, "w1")!;
            Assert.Equal(TrialState.Running, claimed.State);
            Assert.True(store.Finish(claimed.Id, "w1", new TrialResult(TrialState.Complete, 0.7, 0.001, 0.65, 0.75, new Dictionary<string, double> { ["hair"] = 0.8 },
                Metrics: new Dictionary<string, double> { ["diversity"] = 0.125, ["accuracy"] = 0.75 })));
            store.Enqueue(studyId, new Dictionary<string, double> { ["a"] = 0.5, ["b"] = 0 });
        }

        using (var store = factory.Open())
        {
            var study = store.FindStudy("s")!;
            Assert.Equal(Config().Space.Parameters, study.Config.Space.Parameters);
            var trials = store.Trials(study.Id);
            Assert.Equal([0, 1], trials.Select(t => t.Number));
            Assert.Equal(0.7, trials[0].Value);
            Assert.Equal(0.8, trials[0].Categories!["hair"]);
            Assert.Equal((0.125, 0.75), (trials[0].Metrics!["diversity"], trials[0].Metrics!["accuracy"]));
            Assert.Equal(-0.5, trials[0].Parameters["b"]);
            Assert.Equal(TrialState.Queued, trials[1].State);
            Assert.Null(trials[1].Metrics);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void RequeueStale_RunningTrialRunsAgainAndOldWorkerCannotFinishIt(string kind)
    {
        using var factory = new StoreFactory(kind);
        using var store = factory.Open();
        var id = store.CreateStudy(Config()).Id;
        store.Enqueue(id, new Dictionary<string, double> { ["a"] = 0.1, ["b"] = 0.1 });
        var first = store.ClaimQueued(id, "crashed")!;
        Assert.Equal(1, store.RequeueStale(id, null));
        var second = store.ClaimQueued(id, "survivor")!;
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.Attempts);
        Assert.False(store.Finish(first.Id, "crashed", new TrialResult(TrialState.Complete, 1)));
        Assert.True(store.Finish(second.Id, "survivor", new TrialResult(TrialState.Complete, 2)));
        Assert.Equal(2, store.Trials(id).Single().Value);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void RequeueStale_OnlyOldHeartbeats(string kind)
    {
        using var factory = new StoreFactory(kind);
        using var store = factory.Open();
        var id = store.CreateStudy(Config()).Id;
        store.Enqueue(id, new Dictionary<string, double> { ["a"] = 0.1, ["b"] = 0.1 });
        store.ClaimQueued(id, "alive");
        Assert.Equal(0, store.RequeueStale(id, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ClaimQueued_TwoConnections_NeverClaimTheSameTrial(string kind)
    {
        using var factory = new StoreFactory(kind);
        using var setup = factory.Open();
        var id = setup.CreateStudy(Config()).Id;
        for (var i = 0; i < 40; i++)
        {
            setup.Enqueue(id, new Dictionary<string, double> { ["a"] = i / 40.0, ["b"] = 0 });
        }

        var claimed = new System.Collections.Concurrent.ConcurrentBag<long>();
        Parallel.For(0, 4, w =>
        {
            using var store = factory.Open();
            while (store.ClaimQueued(id, $"w{w}") is { } t)
            {
                claimed.Add(t.Id);
            }
        });
        Assert.Equal(40, claimed.Count);
        Assert.Equal(40, claimed.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Import_TrialsFinishedInSqlite_KeepTheirTimesExactly(string kind)
    {
        IReadOnlyList<Trial> finished;
        using (var source = new SqliteStudyStore(Db))
        {
            var id = source.CreateStudy(Config()).Id;
            for (var i = 0; i < 8; i++)
            {
                source.Enqueue(id, new Dictionary<string, double> { ["a"] = i / 8.0, ["b"] = 0 });
                var trial = source.ClaimQueued(id, "w")!;
                Assert.True(source.Finish(trial.Id, "w", new TrialResult(TrialState.Complete, i)));
            }

            finished = source.Trials(id);
        }

        // Both stores keep microseconds (PostgreSQL's precision), so a copy either way reports the same durations.
        Assert.All(finished, t => Assert.Equal((0L, 0L), (t.Started!.Value.Ticks % 10, t.Finished!.Value.Ticks % 10)));
        using var factory = new StoreFactory(kind);
        using var target = factory.Open();
        var copy = target.Trials(target.Import(Config(), finished).Id);
        Assert.Equal(finished.Select(t => (t.Started, t.Finished)), copy.Select(t => (t.Started, t.Finished)));
    }

    [Fact]
    public void CreateStudy_DuplicateName_Throws()
    {
        using var store = new SqliteStudyStore(Db);
        store.CreateStudy(Config("x"));
        Assert.ThrowsAny<Microsoft.Data.Sqlite.SqliteException>(() => store.CreateStudy(Config("x")));
    }

    [Fact]
    public void Open_Version1File_AddsFidelityColumnAndKeepsTrials()
    {
        // A version-1 file (no fidelity column) holding a study with one finished trial, as the old tool wrote it.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Db};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE studies(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, config TEXT NOT NULL, created TEXT NOT NULL);
                CREATE TABLE trials(id INTEGER PRIMARY KEY, study_id INTEGER NOT NULL REFERENCES studies(id), number INTEGER NOT NULL,
                  state TEXT NOT NULL, params TEXT NOT NULL, value REAL, noise REAL, low REAL, high REAL, categories TEXT,
                  error TEXT, worker TEXT, started TEXT, finished TEXT, heartbeat TEXT, attempts INTEGER NOT NULL DEFAULT 0, UNIQUE(study_id, number));
                INSERT INTO studies(id, name, config, created) VALUES (1, 's', $config, '2026-11-01T10:00:00.0000000+00:00');
                INSERT INTO trials(study_id, number, state, params, value, noise, categories, worker, started, finished, attempts)
                  VALUES (1, 0, 'Complete', '{"a":0.25,"b":0.75}', 0.625, 0.0001, '{"hair":0.5}', 'w', '2026-11-01T10:00:01.0000000+00:00', '2026-11-01T10:00:02.0000000+00:00', 1);
                PRAGMA user_version = 1;
                """;
            cmd.Parameters.AddWithValue("$config", StudyJson.Config(Config()));
            cmd.ExecuteNonQuery();
        }

        using (var store = new SqliteStudyStore(Db))
        {
            var study = store.FindStudy("s")!;
            var old = Assert.Single(store.Trials(study.Id));
            Assert.Equal((0, TrialState.Complete, 0.625, 1.0), (old.Number, old.State, old.Value!.Value, old.Fidelity));
            Assert.Equal(0.25, old.Parameters["a"]);
            Assert.Equal(0.5, old.Categories!["hair"]);
            store.Enqueue(study.Id, new Dictionary<string, double> { ["a"] = 0.1, ["b"] = 0.1 }, 0.5);
        }

        using var reopened = new SqliteStudyStore(Db);
        var trials = reopened.Trials(reopened.FindStudy("s")!.Id);
        Assert.Equal([(0, 1.0), (1, 0.5)], trials.Select(t => (t.Number, t.Fidelity)));
        Assert.All(trials, t => Assert.Null(t.Metrics));
    }

    [Fact]
    public void Open_Version2File_AddsMetricsColumnAndKeepsTrials()
    {
        // A version-2 file (fidelity, no metrics), as the tool wrote it before diversity was measured.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Db};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE studies(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, config TEXT NOT NULL, created TEXT NOT NULL);
                CREATE TABLE trials(id INTEGER PRIMARY KEY, study_id INTEGER NOT NULL REFERENCES studies(id), number INTEGER NOT NULL,
                  state TEXT NOT NULL, params TEXT NOT NULL, value REAL, noise REAL, low REAL, high REAL, categories TEXT,
                  error TEXT, worker TEXT, started TEXT, finished TEXT, heartbeat TEXT, attempts INTEGER NOT NULL DEFAULT 0,
                  fidelity REAL NOT NULL DEFAULT 1, UNIQUE(study_id, number));
                INSERT INTO studies(id, name, config, created) VALUES (1, 's', $config, '2026-11-01T10:00:00.0000000+00:00');
                INSERT INTO trials(study_id, number, state, params, value, worker, attempts, fidelity)
                  VALUES (1, 0, 'Complete', '{"a":0.25,"b":0.75}', 0.625, 'w', 1, 0.5);
                PRAGMA user_version = 2;
                """;
            cmd.Parameters.AddWithValue("$config", StudyJson.Config(Config()));
            cmd.ExecuteNonQuery();
        }

        using var store = new SqliteStudyStore(Db);
        var study = store.FindStudy("s")!;
        var old = Assert.Single(store.Trials(study.Id));
        Assert.Equal((0.625, 0.5), (old.Value!.Value, old.Fidelity));
        Assert.Null(old.Metrics);
        store.Enqueue(study.Id, new Dictionary<string, double> { ["a"] = 0.1, ["b"] = 0.1 });
        var claimed = store.ClaimQueued(study.Id, "w")!;
        Assert.True(store.Finish(claimed.Id, "w", new TrialResult(TrialState.Complete, 0.5, Metrics: new Dictionary<string, double> { ["diversity"] = 0.2 })));
        Assert.Equal(0.2, store.Trials(study.Id)[1].Metrics!["diversity"]);
    }
}
