using Seamless.Tests.TestSupport;

namespace Seamless.Tests.Commands;

/// <summary>A study store that cannot be used is user input: one line naming it (never the password), exit 1.</summary>
public sealed class StorageErrorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static void AssertOneError(CliRunner.Result r, string expected)
    {
        Assert.Equal(1, r.ExitCode);
        var lines = r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Error: ", lines[^1], StringComparison.Ordinal);
        Assert.Contains(expected, lines[^1], StringComparison.Ordinal);
        Assert.All(lines[..^1], l => Assert.StartsWith("note: ", l, StringComparison.Ordinal));
        Assert.DoesNotContain("hunter2", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string> Verbs() => ["study list", "optimize", "worker", "search"];

    private string[] Command(string verb, string storage)
    {
        var space = _temp.File("space.json");
        File.WriteAllText(space, """{"x": [0, 1]}""");
        return verb switch
        {
            "study list" => ["study", "list", "--storage", storage],
            "optimize" => ["optimize", "--space", space, "--objective-command", "echo 1", "--budget", "2", "--storage", storage],
            "worker" => ["worker", "s", "--storage", storage],
            _ => ["search", "--resume", "s", "--storage", storage],
        };
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public void Storage_NoServerListening_OneLineErrorAfterSayingItRetries(string verb)
    {
        const string uri = "postgresql://merger:hunter2@127.0.0.1:1/studies";
        var r = CliRunner.Run(Command(verb, uri));
        AssertOneError(r, "postgresql://merger@127.0.0.1:1/studies: the connection was refused");
        Assert.Contains("note: postgresql://merger@127.0.0.1:1/studies: the connection was refused (no PostgreSQL server listens there); retrying", r.Error, StringComparison.Ordinal);
        Assert.Contains("check the host and port", r.Error, StringComparison.Ordinal);
    }

    [PostgresFact]
    public void Storage_DatabaseMissing_OneLineErrorWithoutRetries()
    {
        var server = new Uri(Environment.GetEnvironmentVariable("SEAMLESS_TEST_POSTGRES")!);
        var uri = $"postgresql://{server.UserInfo}@{server.Host}:{server.Port}/no_such_db_{Guid.NewGuid():N}";
        var r = CliRunner.Run("study", "list", "--storage", uri);
        AssertOneError(r, "does not exist (3D000); create the database first");
        Assert.DoesNotContain("note:", r.Error, StringComparison.Ordinal);
        if (server.UserInfo.Split(':') is [_, var password, ..])
        {
            Assert.DoesNotContain(password, r.Error, StringComparison.Ordinal);
        }
    }
}
