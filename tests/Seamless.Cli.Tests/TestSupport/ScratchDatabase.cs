using Npgsql;

namespace Seamless.Tests.TestSupport;

/// <summary>A fresh database on the <c>SEAMLESS_TEST_POSTGRES</c> server for one test, dropped (connections forced off) afterwards.</summary>
public sealed class ScratchDatabase : IDisposable
{
    private readonly string _admin;
    private readonly string _name = "seamless_cli_" + Guid.NewGuid().ToString("N");

    public ScratchDatabase()
    {
        var server = Environment.GetEnvironmentVariable("SEAMLESS_TEST_POSTGRES")!;
        _admin = Seamless.Storage.Postgres.PostgresUri.ToConnectionString(server);
        using (var connection = new NpgsqlConnection(_admin))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {_name}", connection);
            create.ExecuteNonQuery();
        }

        Uri = new UriBuilder(server) { Path = "/" + _name }.Uri.ToString();
    }

    /// <summary>The database as a <c>--storage</c> value.</summary>
    public string Uri { get; }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(_admin);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }
}
