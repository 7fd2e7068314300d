using Npgsql;

namespace Seamless.Storage.Postgres;

/// <summary>Turns <c>postgresql://user:password@host:port/database?sslmode=…</c> into an Npgsql connection string.</summary>
public static class PostgresUri
{
    public static bool IsPostgres(string storage) =>
        storage.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || storage.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The URI without its password (and query), for messages.</summary>
    public static string Describe(string uri)
    {
        try
        {
            var u = new Uri(uri);
            var user = u.UserInfo.Split(':', 2)[0];
            return $"{u.Scheme}://{(user.Length > 0 ? user + "@" : string.Empty)}{u.Host}{(u.IsDefaultPort || u.Port <= 0 ? string.Empty : ":" + u.Port)}{u.AbsolutePath}";
        }
        catch (UriFormatException)
        {
            return "postgresql://…";
        }
    }

    public static string ToConnectionString(string uri)
    {
        var u = new Uri(uri);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = u.Host,
            Port = u.IsDefaultPort || u.Port <= 0 ? 5432 : u.Port,
            Database = Uri.UnescapeDataString(u.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
        };
        if (u.UserInfo.Length > 0)
        {
            var parts = u.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in u.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            builder[Uri.UnescapeDataString(kv[0])] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "true";
        }

        return builder.ConnectionString;
    }
}
