using Seamless.Dashboard;

namespace Seamless.Tests;

public sealed class DashboardOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Problems_LoopbackWithoutToken_None(string host) =>
        Assert.Empty(new DashboardOptions { Host = host }.Problems());

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.20")]
    [InlineData("::")]
    public void Problems_NetworkAddressWithoutToken_AsksForOne(string host)
    {
        var problem = Assert.Single(new DashboardOptions { Host = host }.Problems());
        Assert.Contains("--token", problem, StringComparison.Ordinal);
        Assert.Empty(new DashboardOptions { Host = host, Token = "0123456789abcdef" }.Problems());
    }

    [Fact]
    public void Problems_EverythingWrong_AllReportedAtOnce()
    {
        var problems = new DashboardOptions { Host = "my host", Port = 70000, Token = "short" }.Problems();
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("not an IP address", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("not a TCP port", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("shorter than 8", StringComparison.Ordinal));
    }
}
