using Npgsql;
using Seamless.Search.Studies;
using Seamless.Storage.Postgres;
using Seamless.Storage.Sqlite;

namespace Seamless.Tests.Studies;

/// <summary>
/// Real stores for the contract tests: a SQLite file in a temp folder, and, when SEAMLESS_TEST_POSTGRES names a
/// server (CI starts one), a throw-away PostgreSQL database created for the test and dropped after it.
/// </summary>
public sealed class StoreFactory : IDisposable
{
    public const string PostgresVariable = "SEAMLESS_TEST_POSTGRES";
    private readonly string _folder = Directory.CreateTempSubdirectory("seamless-store-").FullName;
    private readonly string? _database;
    private readonly string? _server;

    public StoreFactory(string kind)
    {
        Kind = kind;
        if (kind == "postgres")
        {
            _server = PostgresUri.ToConnectionString(Environment.GetEnvironmentVariable(PostgresVariable)!);
            _database = "seamless_test_" + Guid.NewGuid().ToString("N");
            using var connection = new NpgsqlConnection(_server);
            connection.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {_database}", connection);
            cmd.ExecuteNonQuery();
        }
    }

    public string Kind { get; }

    public static IEnumerable<object[]> Kinds()
    {
        yield return ["sqlite"];
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PostgresVariable)))
        {
            yield return ["postgres"];
        }
    }

    public IStudyStore Open() => Kind == "sqlite"
        ? new SqliteStudyStore(Path.Combine(_folder, "studies.db"))
        : new PostgresStudyStore(new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString);

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(_server);
            connection.Open();
            using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
            cmd.ExecuteNonQuery();
        }
    }
}
