using Polly;
using Npgsql;
using NpgsqlTypes;
using Seamless.Search.Studies;

namespace Seamless.Storage.Postgres;

/// <summary>
/// Studies in PostgreSQL, for many workers on many machines: one transaction per state change, claims with
/// <c>FOR UPDATE SKIP LOCKED</c> (no two workers get the same trial), trial numbers from a per-study counter row, and
/// versioned schema migrations. Same contract as the SQLite store.
/// </summary>
public sealed class PostgresStudyStore : IStudyStore
{
    private const int SchemaVersion = 2;
    private readonly NpgsqlDataSource _source;
    private readonly Polly.ResiliencePipeline _retry;

    /// <param name="log">
    /// Told about each retry while the server is unreachable (a database restart mid-search is ridden out for about a
    /// minute; the first connection gives up after a few seconds).
    /// </param>
    public PostgresStudyStore(string uriOrConnectionString, Action<string>? log = null)
    {
        var connectionString = PostgresUri.IsPostgres(uriOrConnectionString) ? PostgresUri.ToConnectionString(uriOrConnectionString) : uriOrConnectionString;
        Where = PostgresUri.IsPostgres(uriOrConnectionString) ? PostgresUri.Describe(uriOrConnectionString) : new NpgsqlConnectionStringBuilder(connectionString) { Password = null }.ConnectionString;
        _source = NpgsqlDataSource.Create(connectionString);
        _retry = new Polly.ResiliencePipelineBuilder()
            .AddRetry(new Polly.Retry.RetryStrategyOptions
            {
                MaxRetryAttempts = 12,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(10),
                BackoffType = Polly.DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new Polly.PredicateBuilder().Handle<Exception>(IsTransient),
                OnRetry = args =>
                {
                    _source.Clear();
                    log?.Invoke($"{Where}: {Reason(args.Outcome.Exception)}; retrying ({args.AttemptNumber + 1} of 12)");
                    return default;
                },
            })
            .Build();
        Open(log);
    }

    /// <summary>The store for messages: the URI without its password.</summary>
    public string Where { get; }

    /// <summary>
    /// The first connection and the schema migration. A server that refuses or does not answer is tried 3 times over
    /// about 2 s, saying so; a wrong password, user or database is not retried. Either way the failure is a
    /// <see cref="Seamless.Errors.StudyStoreException"/>: one line with the store and what to check.
    /// </summary>
    private void Open(Action<string>? log)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Migrate();
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                if (!IsTransient(ex) || attempt == 3)
                {
                    _source.Dispose();
                    throw new Seamless.Errors.StudyStoreException(Where, Reason(ex) + Advice(ex), ex);
                }

                log?.Invoke($"{Where}: {Reason(ex)}; retrying ({attempt} of 2)");
                _source.Clear();
                Thread.Sleep(TimeSpan.FromMilliseconds(500 * attempt));
            }
        }
    }

    /// <summary>What failed, in words, from Npgsql's exception chain.</summary>
    internal static string Reason(Exception? ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException p:
                    return $"the server said {p.MessageText} ({p.SqlState})";
                case System.Net.Sockets.SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        System.Net.Sockets.SocketError.ConnectionRefused => "the connection was refused (no PostgreSQL server listens there)",
                        System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NoData or System.Net.Sockets.SocketError.TryAgain => "the host name does not resolve",
                        System.Net.Sockets.SocketError.TimedOut => "the connection timed out",
                        _ => $"the connection failed ({socket.SocketErrorCode})",
                    };
                case TimeoutException:
                    return "the connection timed out";
            }
        }

        return ex?.Message ?? "unknown failure";
    }

    private static string Advice(Exception ex) => (ex as PostgresException ?? ex.InnerException as PostgresException)?.SqlState switch
    {
        "28P01" or "28000" => "; check the user and password in the URI (postgresql://user:password@host:port/database)",
        "3D000" => "; create the database first (createdb NAME) or name an existing one in the URI",
        null when IsTransient(ex) => "; check the host and port, and that the server is running",
        _ => string.Empty,
    };

    private StudyRecord CreateStudyCore(StudyConfig config)
    {
        using var connection = _source.OpenConnection();
        using var cmd = new NpgsqlCommand("INSERT INTO seamless_studies(name, config, created) VALUES (@name, @config, now()) RETURNING id, created", connection);
        cmd.Parameters.AddWithValue("name", config.Name);
        cmd.Parameters.AddWithValue("config", StudyJson.Config(config));
        using var reader = cmd.ExecuteReader();
        reader.Read();
        return new StudyRecord(reader.GetInt64(0), config, reader.GetFieldValue<DateTimeOffset>(1));
    }

    private StudyRecord ImportCore(StudyConfig config, IReadOnlyList<Trial> trials)
    {
        using var connection = _source.OpenConnection();
        using var tx = connection.BeginTransaction();
        long id;
        using (var study = new NpgsqlCommand("INSERT INTO seamless_studies(name, config, created, next_number) VALUES (@name, @config, now(), @next) RETURNING id", connection, tx))
        {
            study.Parameters.AddWithValue("name", config.Name);
            study.Parameters.AddWithValue("config", StudyJson.Config(config));
            study.Parameters.AddWithValue("next", trials.Count == 0 ? 0 : trials.Max(t => t.Number) + 1);
            id = (long)study.ExecuteScalar()!;
        }

        foreach (var t in trials)
        {
            using var cmd = new NpgsqlCommand("""
                INSERT INTO seamless_trials(study_id, number, state, params, value, noise, low, high, categories, error, worker, started, finished, heartbeat, attempts, fidelity, metrics)
                VALUES (@s, @number, @state, @p, @v, @n, @lo, @hi, @c, @e, @w, @start, @end, @end, @attempts, @f, @m)
                """, connection, tx);
            cmd.Parameters.AddWithValue("s", id);
            cmd.Parameters.AddWithValue("number", t.Number);
            cmd.Parameters.AddWithValue("state", t.State.ToString());
            cmd.Parameters.AddWithValue("p", StudyJson.Map(t.Parameters));
            cmd.Parameters.Add(new NpgsqlParameter("v", NpgsqlDbType.Double) { Value = (object?)t.Value ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter("n", NpgsqlDbType.Double) { Value = (object?)t.NoiseVariance ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter("lo", NpgsqlDbType.Double) { Value = (object?)t.IntervalLow ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter("hi", NpgsqlDbType.Double) { Value = (object?)t.IntervalHigh ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter("c", NpgsqlDbType.Text) { Value = t.Categories is null ? DBNull.Value : StudyJson.Map(t.Categories) });
            cmd.Parameters.Add(new NpgsqlParameter("e", NpgsqlDbType.Text) { Value = (object?)t.Error ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter("w", NpgsqlDbType.Text) { Value = (object?)t.Worker ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter("m", NpgsqlDbType.Text) { Value = t.Metrics is null ? DBNull.Value : StudyJson.Map(t.Metrics) });
            cmd.Parameters.Add(new NpgsqlParameter("start", NpgsqlDbType.TimestampTz) { Value = (object?)t.Started?.ToUniversalTime() ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter("end", NpgsqlDbType.TimestampTz) { Value = (object?)t.Finished?.ToUniversalTime() ?? DBNull.Value });
            cmd.Parameters.AddWithValue("attempts", t.Attempts);
            cmd.Parameters.AddWithValue("f", t.Fidelity);
            cmd.ExecuteNonQuery();
        }

        tx.Commit();
        return FindStudy(config.Name)!;
    }

    public StudyRecord? FindStudy(string name) => ListStudies().FirstOrDefault(s => s.Config.Name == name);

    private List<StudyRecord> ListStudiesCore()
    {
        using var connection = _source.OpenConnection();
        using var cmd = new NpgsqlCommand("SELECT id, config, created FROM seamless_studies ORDER BY id", connection);
        using var reader = cmd.ExecuteReader();
        var list = new List<StudyRecord>();
        while (reader.Read())
        {
            list.Add(new StudyRecord(reader.GetInt64(0), StudyJson.Config(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return list;
    }

    private List<Trial> TrialsCore(long studyId)
    {
        using var connection = _source.OpenConnection();
        using var cmd = new NpgsqlCommand("""
            SELECT id, number, state, params, value, noise, low, high, categories, error, worker, started, finished, attempts, fidelity, metrics, heartbeat
            FROM seamless_trials WHERE study_id = @s ORDER BY number
            """, connection);
        cmd.Parameters.AddWithValue("s", studyId);
        using var reader = cmd.ExecuteReader();
        var list = new List<Trial>();
        while (reader.Read())
        {
            double? D(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
            string? S(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            DateTimeOffset? T(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
            list.Add(new Trial(reader.GetInt64(0), reader.GetInt32(1), Enum.Parse<TrialState>(reader.GetString(2)), StudyJson.Map(reader.GetString(3))!,
                D(4), D(5), D(6), D(7), StudyJson.Map(S(8)), S(9), S(10), T(11), T(12), reader.GetInt32(13), reader.GetDouble(14), StudyJson.Map(S(15)), T(16)));
        }

        return list;
    }

    private Trial EnqueueCore(long studyId, IReadOnlyDictionary<string, double> parameters, double fidelity) =>
        Insert(studyId, parameters, fidelity, ifNew: false)!;

    private Trial? EnqueueIfNewCore(long studyId, IReadOnlyDictionary<string, double> parameters, double fidelity) =>
        Insert(studyId, parameters, fidelity, ifNew: true);

    private Trial? Insert(long studyId, IReadOnlyDictionary<string, double> parameters, double fidelity, bool ifNew)
    {
        using var connection = _source.OpenConnection();
        using var tx = connection.BeginTransaction();

        // The counter row's lock serialises enqueues per study (numbering and the duplicate check); workers on other
        // studies are not blocked. A refused insert rolls the counter back with the transaction.
        using var counter = new NpgsqlCommand("UPDATE seamless_studies SET next_number = next_number + 1 WHERE id = @s RETURNING next_number - 1", connection, tx);
        counter.Parameters.AddWithValue("s", studyId);
        var number = Convert.ToInt32(counter.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (ifNew)
        {
            using var check = new NpgsqlCommand("SELECT COUNT(*) FROM seamless_trials WHERE study_id = @s AND params = @p", connection, tx);
            check.Parameters.AddWithValue("s", studyId);
            check.Parameters.AddWithValue("p", StudyJson.Map(parameters));
            if ((long)check.ExecuteScalar()! > 0)
            {
                tx.Rollback();
                return null;
            }
        }
        using var insert = new NpgsqlCommand("""
            INSERT INTO seamless_trials(study_id, number, state, params, attempts, fidelity) VALUES (@s, @n, 'Queued', @p, 0, @f) RETURNING id
            """, connection, tx);
        insert.Parameters.AddWithValue("s", studyId);
        insert.Parameters.AddWithValue("n", number);
        insert.Parameters.AddWithValue("p", StudyJson.Map(parameters));
        insert.Parameters.AddWithValue("f", fidelity);
        var id = (long)insert.ExecuteScalar()!;
        tx.Commit();
        return new Trial(id, number, TrialState.Queued, parameters, Fidelity: fidelity);
    }

    private Trial? ClaimQueuedCore(long studyId, string worker, IReadOnlyCollection<long>? skip)
    {
        long? id;
        using (var connection = _source.OpenConnection())
        using (var tx = connection.BeginTransaction())
        {
            using var cmd = new NpgsqlCommand("""
                UPDATE seamless_trials SET state = 'Running', worker = @w, started = now(), heartbeat = now(), attempts = attempts + 1
                WHERE id = (SELECT id FROM seamless_trials WHERE study_id = @s AND state = 'Queued' AND NOT (id = ANY(@skip)) ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING id
                """, connection, tx);
            cmd.Parameters.AddWithValue("s", studyId);
            cmd.Parameters.AddWithValue("w", worker);
            cmd.Parameters.AddWithValue("skip", (skip ?? []).ToArray());
            id = cmd.ExecuteScalar() as long?;
            tx.Commit();
        }

        return id is null ? null : Trials(studyId).First(t => t.Id == id);
    }

    private bool FinishCore(long trialId, string worker, TrialResult result)
    {
        using var connection = _source.OpenConnection();
        using var cmd = new NpgsqlCommand("""
            UPDATE seamless_trials SET state = @state, value = @v, noise = @n, low = @lo, high = @hi, categories = @c, error = @e, metrics = @m, finished = now()
            WHERE id = @id AND state = 'Running' AND worker = @w
            """, connection);
        cmd.Parameters.AddWithValue("state", result.State.ToString());
        cmd.Parameters.Add(new NpgsqlParameter("v", NpgsqlDbType.Double) { Value = (object?)result.Value ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("n", NpgsqlDbType.Double) { Value = (object?)result.NoiseVariance ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("lo", NpgsqlDbType.Double) { Value = (object?)result.IntervalLow ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("hi", NpgsqlDbType.Double) { Value = (object?)result.IntervalHigh ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("c", NpgsqlDbType.Text) { Value = result.Categories is null ? DBNull.Value : StudyJson.Map(result.Categories) });
        cmd.Parameters.Add(new NpgsqlParameter("e", NpgsqlDbType.Text) { Value = (object?)result.Error ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("m", NpgsqlDbType.Text) { Value = result.Metrics is null ? DBNull.Value : StudyJson.Map(result.Metrics) });
        cmd.Parameters.AddWithValue("id", trialId);
        cmd.Parameters.AddWithValue("w", worker);
        return cmd.ExecuteNonQuery() == 1;
    }

    private void HeartbeatCore(long trialId, string worker)
    {
        using var connection = _source.OpenConnection();
        using var cmd = new NpgsqlCommand("UPDATE seamless_trials SET heartbeat = now() WHERE id = @id AND worker = @w AND state = 'Running'", connection);
        cmd.Parameters.AddWithValue("id", trialId);
        cmd.Parameters.AddWithValue("w", worker);
        cmd.ExecuteNonQuery();
    }

    private bool RequeueCore(long trialId, string worker)
    {
        using var connection = _source.OpenConnection();
        using var cmd = new NpgsqlCommand("UPDATE seamless_trials SET state = 'Queued', worker = NULL WHERE id = @id AND state = 'Running' AND worker = @w", connection);
        cmd.Parameters.AddWithValue("id", trialId);
        cmd.Parameters.AddWithValue("w", worker);
        return cmd.ExecuteNonQuery() == 1;
    }

    private int RequeueStaleCore(long studyId, TimeSpan? staleAfter)
    {
        using var connection = _source.OpenConnection();
        using var cmd = new NpgsqlCommand(staleAfter is null
            ? "UPDATE seamless_trials SET state = 'Queued', worker = NULL WHERE study_id = @s AND state = 'Running'"
            : "UPDATE seamless_trials SET state = 'Queued', worker = NULL WHERE study_id = @s AND state = 'Running' AND heartbeat < now() - @age", connection);
        cmd.Parameters.AddWithValue("s", studyId);
        if (staleAfter is { } age)
        {
            cmd.Parameters.AddWithValue("age", age);
        }

        return cmd.ExecuteNonQuery();
    }

    public StudyRecord CreateStudy(StudyConfig config) => Retry(() => CreateStudyCore(config));

    public StudyRecord Import(StudyConfig config, IReadOnlyList<Trial> trials) => Retry(() => ImportCore(config, trials));

    public IReadOnlyList<StudyRecord> ListStudies() => Retry(() => ListStudiesCore());

    public IReadOnlyList<Trial> Trials(long studyId) => Retry(() => TrialsCore(studyId));

    public Trial Enqueue(long studyId, IReadOnlyDictionary<string, double> parameters, double fidelity = 1) => Retry(() => EnqueueCore(studyId, parameters, fidelity));

    public Trial? EnqueueIfNew(long studyId, IReadOnlyDictionary<string, double> parameters, double fidelity = 1) => Retry(() => EnqueueIfNewCore(studyId, parameters, fidelity));

    public Trial? ClaimQueued(long studyId, string worker, IReadOnlyCollection<long>? skip = null) => Retry(() => ClaimQueuedCore(studyId, worker, skip));

    public bool Finish(long trialId, string worker, TrialResult result) => Retry(() => FinishCore(trialId, worker, result));

    public void Heartbeat(long trialId, string worker) => Retry(() => HeartbeatCore(trialId, worker));

    public bool Requeue(long trialId, string worker) => Retry(() => RequeueCore(trialId, worker));

    public int RequeueStale(long studyId, TimeSpan? staleAfter) => Retry(() => RequeueStaleCore(studyId, staleAfter));

    public void Dispose() => _source.Dispose();

    /// <summary>
    /// Connection faults (the server restarting, a network blip) are retried with backoff for about a minute, the
    /// pool cleared of dead connections first; errors in the statements themselves are not. State changes are single
    /// transactions, so a retry after a lost commit acknowledgement is harmless: Finish answers false, a claim is
    /// re-queued when its heartbeat goes stale.
    /// </summary>
    private T Retry<T>(Func<T> operation) => _retry.Execute(_ => operation());

    private void Retry(Action operation) => _retry.Execute(_ => operation());

    internal static bool IsTransient(Exception ex) => ex switch
    {
        PostgresException p => p.IsTransient || p.SqlState is "57P01" or "57P02" or "57P03" or "08006" or "08001" or "08003" or "08004",
        NpgsqlException n => n.IsTransient || n.InnerException is System.IO.IOException or System.Net.Sockets.SocketException or TimeoutException,
        _ => false,
    };


    private void Migrate()
    {
        using var connection = _source.OpenConnection();
        using var tx = connection.BeginTransaction();

        // An advisory lock makes concurrent first runs (several workers starting at once) migrate one at a time.
        using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(7423114)", connection, tx))
        {
            lockCmd.ExecuteNonQuery();
        }

        using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS seamless_schema(version INTEGER NOT NULL)", connection, tx))
        {
            create.ExecuteNonQuery();
        }

        using var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM seamless_schema", connection, tx);
        var version = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (version < 1)
        {
            using var v1 = new NpgsqlCommand("""
                CREATE TABLE seamless_studies(
                  id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, config TEXT NOT NULL, created TIMESTAMPTZ NOT NULL,
                  next_number INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE seamless_trials(
                  id BIGSERIAL PRIMARY KEY, study_id BIGINT NOT NULL REFERENCES seamless_studies(id), number INTEGER NOT NULL,
                  state TEXT NOT NULL, params TEXT NOT NULL, value DOUBLE PRECISION, noise DOUBLE PRECISION, low DOUBLE PRECISION,
                  high DOUBLE PRECISION, categories TEXT, error TEXT, worker TEXT, started TIMESTAMPTZ, finished TIMESTAMPTZ,
                  heartbeat TIMESTAMPTZ, attempts INTEGER NOT NULL DEFAULT 0, fidelity DOUBLE PRECISION NOT NULL DEFAULT 1,
                  UNIQUE(study_id, number));
                CREATE INDEX seamless_trials_queue ON seamless_trials(study_id, state, number);
                INSERT INTO seamless_schema(version) VALUES (1);
                """, connection, tx);
            v1.ExecuteNonQuery();
        }

        // Version 2 keeps other measurements of a trial (diversity, the raw accuracy under a constraint).
        if (version < 2)
        {
            using var v2 = new NpgsqlCommand("""
                ALTER TABLE seamless_trials ADD COLUMN IF NOT EXISTS metrics TEXT;
                INSERT INTO seamless_schema(version) VALUES (2);
                """, connection, tx);
            v2.ExecuteNonQuery();
        }

        if (version > SchemaVersion)
        {
            throw new InvalidOperationException($"the database has study schema version {version}, newer than this Seamless ({SchemaVersion}); upgrade Seamless");
        }

        tx.Commit();
    }
}
