using System.Net;
using System.Text.RegularExpressions;
using Seamless.Cli.Infrastructure;

namespace Seamless.Tests.Commands;

public sealed partial class DashboardCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Dashboard_NetworkHostWithoutToken_OneErrorLineAndNothingServed()
    {
        var (db, _) = MergeStudy.Write(_temp.Path, 2);
        var r = CliRunner.Run("dashboard", "--storage", db, "--host", "0.0.0.0", "--port", "0");
        Assert.NotEqual(0, r.ExitCode);
        var line = Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Error: ", line, StringComparison.Ordinal);
        Assert.Contains("--token", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_MissingStorageAndShortToken_BothInOneError()
    {
        var r = CliRunner.Run("dashboard", "--storage", _temp.File("none.db"), "--token", "abc");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("none.db not found", r.Error, StringComparison.Ordinal);
        Assert.Contains("shorter than 8", r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("none.db")), "a missing store must not be created");
    }

    [Fact]
    public async Task Dashboard_WithToken_PrintsTheLinkServesItAndStopsOnCtrlC()
    {
        var (db, _) = MergeStudy.Write(_temp.Path, 3);
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var cancel = new CancellationTokenSource();
        var run = Task.Run(() => CliApp.Run(["dashboard", "--storage", db, "--port", "0", "--token", "long-enough-token"], CliConsoles.Plain(output, error), cancel.Token));
        Match link;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(link = Link().Match(Text(output))).Success)
        {
            Assert.False(run.IsCompleted, $"the dashboard ended: {Text(error)}");
            Assert.True(DateTime.UtcNow < deadline, "no link printed in 30 s");
            await Task.Delay(50);
        }

        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(link.Value)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(link.Value.Split('?')[0] + "api/studies")).StatusCode);   // the cookie the link set
        using var stranger = new HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync(link.Value.Split('?')[0] + "api/studies")).StatusCode);
        await cancel.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static string Text(StringWriter w)
    {
        lock (w)
        {
            return w.ToString();
        }
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/\?token=long-enough-token")]
    private static partial Regex Link();
}
