namespace Seamless.Tests.TestSupport;

/// <summary>A test that needs the PostgreSQL server named by <c>SEAMLESS_TEST_POSTGRES</c>; skipped, with the reason, without it.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SEAMLESS_TEST_POSTGRES")))
        {
            Skip = "no PostgreSQL server: set SEAMLESS_TEST_POSTGRES=postgresql://user@host:port/db (.ci/run starts one)";
        }
    }
}
