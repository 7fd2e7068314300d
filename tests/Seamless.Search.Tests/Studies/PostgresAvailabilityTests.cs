namespace Seamless.Tests.Studies;

public sealed class PostgresAvailabilityTests
{
    private sealed class PostgresFactAttribute : FactAttribute
    {
        public PostgresFactAttribute()
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(StoreFactory.PostgresVariable)))
            {
                Skip = $"no PostgreSQL server: set {StoreFactory.PostgresVariable}=postgresql://user@host:port/db (.ci/run starts one) to run the store contract tests on PostgreSQL too";
            }
        }
    }

    [PostgresFact]
    public void ContractTests_IncludePostgres() => Assert.Contains(StoreFactory.Kinds(), k => (string)k[0] == "postgres");
}
