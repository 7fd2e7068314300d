using System.Globalization;
using Microsoft.Data.Sqlite;
using Seamless.Search.Studies;

namespace Seamless.Storage.Sqlite;

/// <summary>
/// Studies in one SQLite file: WAL journal, synchronous=FULL, one transaction per state change (durable after
/// every trial, safe against kill -9 and power loss), BEGIN IMMEDIATE for claims so several processes can share
/// a study file on one machine.
/// </summary>
public sealed class SqliteStudyStore : IStudyStore
{
    private const int SchemaVersion = 3;
    private readonly SqliteConnection _connection;

    public SqliteStudyStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false, DefaultTimeout = 30 }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;");
        Migrate();
    }

    public string Path { get; }

    public StudyRecord CreateStudy(StudyConfig config)
    {
        using var tx = _connection.BeginTransaction();
        using var cmd = Command("INSERT INTO studies(name, config, created) VALUES ($name, $config, $created) RETURNING id", tx);
        var created = Microseconds(DateTimeOffset.UtcNow);
        cmd.Parameters.AddWithValue("$name", config.Name);
        cmd.Parameters.AddWithValue("$config", StudyJson.Config(config));
        cmd.Parameters.AddWithValue("$created", created.ToString("O", CultureInfo.InvariantCulture));
        var id = (long)cmd.ExecuteScalar()!;
        tx.Commit();
        return new StudyRecord(id, config, created);
    }

    public StudyRecord Import(StudyConfig config, IReadOnlyList<Trial> trials)
    {
        using var tx = _connection.BeginTransaction(deferred: false);
        long id;
        using (var study = Command("INSERT INTO studies(name, config, created) VALUES ($name, $config, $created) RETURNING id", tx))
        {
            study.Parameters.AddWithValue("$name", config.Name);
            study.Parameters.AddWithValue("$config", StudyJson.Config(config));
            study.Parameters.AddWithValue("$created", Now());
            id = (long)study.ExecuteScalar()!;
        }

        foreach (var t in trials)
        {
            using var cmd = Command("""
                INSERT INTO trials(study_id, number, state, params, value, noise, low, high, categories, error, worker, started, finished, heartbeat, attempts, fidelity, metrics)
                VALUES ($s, $number, $state, $p, $v, $n, $lo, $hi, $c, $e, $w, $start, $end, $end, $attempts, $f, $m)
                """, tx);
            object Db(object? v) => v ?? DBNull.Value;
            cmd.Parameters.AddWithValue("$s", id);
            cmd.Parameters.AddWithValue("$number", t.Number);
            cmd.Parameters.AddWithValue("$state", t.State.ToString());
            cmd.Parameters.AddWithValue("$p", StudyJson.Map(t.Parameters));
            cmd.Parameters.AddWithValue("$v", Db(t.Value));
            cmd.Parameters.AddWithValue("$n", Db(t.NoiseVariance));
            cmd.Parameters.AddWithValue("$lo", Db(t.IntervalLow));
            cmd.Parameters.AddWithValue("$hi", Db(t.IntervalHigh));
            cmd.Parameters.AddWithValue("$c", t.Categories is null ? DBNull.Value : StudyJson.Map(t.Categories));
            cmd.Parameters.AddWithValue("$e", Db(t.Error));
            cmd.Parameters.AddWithValue("$w", Db(t.Worker));
            cmd.Parameters.AddWithValue("$start", Db(t.Started is { } started ? Microseconds(started).ToString("O", CultureInfo.InvariantCulture) : null));
            cmd.Parameters.AddWithValue("$end", Db(t.Finished is { } finished ? Microseconds(finished).ToString("O", CultureInfo.InvariantCulture) : null));
            cmd.Parameters.AddWithValue("$attempts", t.Attempts);
            cmd.Parameters.AddWithValue("$f", t.Fidelity);
            cmd.Parameters.AddWithValue("$m", t.Metrics is null ? DBNull.Value : StudyJson.Map(t.Metrics));
            cmd.ExecuteNonQuery();
        }

        tx.Commit();
        return FindStudy(config.Name)!;
    }

    public StudyRecord? FindStudy(string name) => ListStudies().FirstOrDefault(s => s.Config.Name == name);

    public IReadOnlyList<StudyRecord> ListStudies()
    {
        using var cmd = Command("SELECT id, config, created FROM studies ORDER BY id");
        using var reader = cmd.ExecuteReader();
        var list = new List<StudyRecord>();
        while (reader.Read())
        {
            list.Add(new StudyRecord(reader.GetInt64(0), StudyJson.Config(reader.GetString(1)), DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture)));
        }

        return list;
    }

    public IReadOnlyList<Trial> Trials(long studyId)
    {
        using var cmd = Command("SELECT id, number, state, params, value, noise, low, high, categories, error, worker, started, finished, attempts, fidelity, metrics, heartbeat FROM trials WHERE study_id = $s ORDER BY number");
        cmd.Parameters.AddWithValue("$s", studyId);
        using var reader = cmd.ExecuteReader();
        var list = new List<Trial>();
        while (reader.Read())
        {
            double? D(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
            string? S(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            DateTimeOffset? T(int i) => reader.IsDBNull(i) ? null : DateTimeOffset.Parse(reader.GetString(i), CultureInfo.InvariantCulture);
            list.Add(new Trial(reader.GetInt64(0), reader.GetInt32(1), Enum.Parse<TrialState>(reader.GetString(2)), StudyJson.Map(reader.GetString(3))!,
                D(4), D(5), D(6), D(7), StudyJson.Map(S(8)), S(9), S(10), T(11), T(12), reader.GetInt32(13), reader.GetDouble(14), StudyJson.Map(S(15)), T(16)));
        }

        return list;
    }

    public Trial Enqueue(long studyId, IReadOnlyDictionary<string, double> parameters, double fidelity = 1) =>
        Insert(studyId, parameters, fidelity, ifNew: false)!;

    public Trial? EnqueueIfNew(long studyId, IReadOnlyDictionary<string, double> parameters, double fidelity = 1) =>
        Insert(studyId, parameters, fidelity, ifNew: true);

    private Trial? Insert(long studyId, IReadOnlyDictionary<string, double> parameters, double fidelity, bool ifNew)
    {
        // BEGIN IMMEDIATE: the duplicate check and the insert happen under the database's write lock.
        using var tx = _connection.BeginTransaction(deferred: false);
        if (ifNew)
        {
            using var check = Command("SELECT COUNT(*) FROM trials WHERE study_id = $s AND params = $p", tx);
            check.Parameters.AddWithValue("$s", studyId);
            check.Parameters.AddWithValue("$p", StudyJson.Map(parameters));
            if ((long)check.ExecuteScalar()! > 0)
            {
                return null;
            }
        }

        using var cmd = Command("""
            INSERT INTO trials(study_id, number, state, params, attempts, fidelity)
            VALUES ($s, (SELECT COALESCE(MAX(number), -1) + 1 FROM trials WHERE study_id = $s), 'Queued', $p, 0, $f)
            RETURNING id, number
            """, tx);
        cmd.Parameters.AddWithValue("$s", studyId);
        cmd.Parameters.AddWithValue("$p", StudyJson.Map(parameters));
        cmd.Parameters.AddWithValue("$f", fidelity);
        using var reader = cmd.ExecuteReader();
        reader.Read();
        var trial = new Trial(reader.GetInt64(0), reader.GetInt32(1), TrialState.Queued, parameters, Fidelity: fidelity);
        reader.Close();
        tx.Commit();
        return trial;
    }

    public Trial? ClaimQueued(long studyId, string worker, IReadOnlyCollection<long>? skip = null)
    {
        long id;
        using (var tx = _connection.BeginTransaction(deferred: false))
        {
            // Skipped ids are integers from this process, inlined (SQLite has no array parameters).
            var except = skip is { Count: > 0 } ? $" AND id NOT IN ({string.Join(',', skip.Select(x => x.ToString(System.Globalization.CultureInfo.InvariantCulture)))})" : "";
            using var select = Command($"SELECT id FROM trials WHERE study_id = $s AND state = 'Queued'{except} ORDER BY number LIMIT 1", tx);
            select.Parameters.AddWithValue("$s", studyId);
            if (select.ExecuteScalar() is not long found)
            {
                return null;
            }

            id = found;
            using var update = Command("UPDATE trials SET state = 'Running', worker = $w, started = $t, heartbeat = $t, attempts = attempts + 1 WHERE id = $id", tx);
            update.Parameters.AddWithValue("$w", worker);
            update.Parameters.AddWithValue("$t", Now());
            update.Parameters.AddWithValue("$id", id);
            update.ExecuteNonQuery();
            tx.Commit();
        }

        return Trials(studyId).First(t => t.Id == id);
    }

    public bool Finish(long trialId, string worker, TrialResult result)
    {
        using var tx = _connection.BeginTransaction(deferred: false);
        using var cmd = Command("""
            UPDATE trials SET state = $state, value = $v, noise = $n, low = $lo, high = $hi, categories = $c, error = $e, finished = $t, metrics = $m
            WHERE id = $id AND state = 'Running' AND worker = $w
            """, tx);
        cmd.Parameters.AddWithValue("$state", result.State.ToString());
        cmd.Parameters.AddWithValue("$v", (object?)result.Value ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$n", (object?)result.NoiseVariance ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$lo", (object?)result.IntervalLow ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$hi", (object?)result.IntervalHigh ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$c", result.Categories is null ? DBNull.Value : StudyJson.Map(result.Categories));
        cmd.Parameters.AddWithValue("$e", (object?)result.Error ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$m", result.Metrics is null ? DBNull.Value : StudyJson.Map(result.Metrics));
        cmd.Parameters.AddWithValue("$t", Now());
        cmd.Parameters.AddWithValue("$id", trialId);
        cmd.Parameters.AddWithValue("$w", worker);
        var changed = cmd.ExecuteNonQuery();
        tx.Commit();
        return changed == 1;
    }

    public void Heartbeat(long trialId, string worker)
    {
        using var cmd = Command("UPDATE trials SET heartbeat = $t WHERE id = $id AND worker = $w AND state = 'Running'");
        cmd.Parameters.AddWithValue("$t", Now());
        cmd.Parameters.AddWithValue("$id", trialId);
        cmd.Parameters.AddWithValue("$w", worker);
        cmd.ExecuteNonQuery();
    }

    public bool Requeue(long trialId, string worker)
    {
        using var tx = _connection.BeginTransaction(deferred: false);
        using var cmd = Command("UPDATE trials SET state = 'Queued', worker = NULL WHERE id = $id AND state = 'Running' AND worker = $w", tx);
        cmd.Parameters.AddWithValue("$id", trialId);
        cmd.Parameters.AddWithValue("$w", worker);
        var n = cmd.ExecuteNonQuery();
        tx.Commit();
        return n == 1;
    }

    public int RequeueStale(long studyId, TimeSpan? staleAfter)
    {
        using var tx = _connection.BeginTransaction(deferred: false);
        using var cmd = Command(staleAfter is null
            ? "UPDATE trials SET state = 'Queued', worker = NULL WHERE study_id = $s AND state = 'Running'"
            : "UPDATE trials SET state = 'Queued', worker = NULL WHERE study_id = $s AND state = 'Running' AND heartbeat < $cutoff", tx);
        cmd.Parameters.AddWithValue("$s", studyId);
        if (staleAfter is { } age)
        {
            cmd.Parameters.AddWithValue("$cutoff", (DateTimeOffset.UtcNow - age).ToString("O", CultureInfo.InvariantCulture));
        }

        var n = cmd.ExecuteNonQuery();
        tx.Commit();
        return n;
    }

    public void Dispose() => _connection.Dispose();

    private void Migrate()
    {
        using var check = Command("PRAGMA user_version");
        var version = Convert.ToInt32(check.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version >= SchemaVersion)
        {
            return;
        }

        using var tx = _connection.BeginTransaction(deferred: false);

        // Version 1 files lack the fidelity column (every trial in them ran at full fidelity); versions 1 and 2 lack
        // metrics (none was measured).
        var upgrade = (version == 1 ? "ALTER TABLE trials ADD COLUMN fidelity REAL NOT NULL DEFAULT 1;" : string.Empty)
            + (version is 1 or 2 ? "ALTER TABLE trials ADD COLUMN metrics TEXT;" : string.Empty);
        using var cmd = Command($"""
            {upgrade}
            CREATE TABLE IF NOT EXISTS studies(
              id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, config TEXT NOT NULL, created TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS trials(
              id INTEGER PRIMARY KEY, study_id INTEGER NOT NULL REFERENCES studies(id), number INTEGER NOT NULL,
              state TEXT NOT NULL, params TEXT NOT NULL, value REAL, noise REAL, low REAL, high REAL, categories TEXT,
              error TEXT, worker TEXT, started TEXT, finished TEXT, heartbeat TEXT, attempts INTEGER NOT NULL DEFAULT 0,
              fidelity REAL NOT NULL DEFAULT 1, metrics TEXT, UNIQUE(study_id, number));
            CREATE INDEX IF NOT EXISTS trials_state ON trials(study_id, state, number);
            PRAGMA user_version = {SchemaVersion};
            """, tx);
        cmd.ExecuteNonQuery();
        tx.Commit();
    }

    private SqliteCommand Command(string sql, SqliteTransaction? tx = null)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private void Execute(string sql)
    {
        using var cmd = Command(sql);
        cmd.ExecuteNonQuery();
    }

    private static string Now() => Microseconds(DateTimeOffset.UtcNow).ToString("O", CultureInfo.InvariantCulture);

    // PostgreSQL's timestamptz keeps microseconds; keeping the same here makes a study migrated either way export
    // the same durations (a 100 ns tick could round 0.0715 s one way in one store and the other way in the other).
    private static DateTimeOffset Microseconds(DateTimeOffset t) => new(t.Ticks - t.Ticks % 10, t.Offset);
}
