using Seamless.Search.Studies;
using Seamless.Storage.Postgres;
using Seamless.Storage.Sqlite;

namespace Seamless.Application.Studies;

/// <summary>Opens the study store a <c>--storage</c> value names: a <c>postgresql://</c> URI, or a SQLite file path.</summary>
public static class StudyStores
{
    /// <param name="log">Told about retries against an unreachable PostgreSQL server as they happen.</param>
    public static IStudyStore Open(string storage, Action<string>? log = null) =>
        PostgresUri.IsPostgres(storage) ? new PostgresStudyStore(storage, log) : new SqliteStudyStore(storage);

    public static bool Exists(string storage) => PostgresUri.IsPostgres(storage) || File.Exists(storage);

    /// <summary>Where the store is, for messages (never the password).</summary>
    public static string Describe(string storage) =>
        PostgresUri.IsPostgres(storage) ? PostgresUri.Describe(storage) : Path.GetFullPath(storage);
}
