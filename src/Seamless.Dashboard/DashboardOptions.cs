using System.Net;

namespace Seamless.Dashboard;

/// <summary>
/// Where the dashboard listens and who may read it. Loopback needs nothing; any other address exposes studies (model
/// paths, prompts, images) to the network, so it needs a <see cref="Token"/> that every request then carries.
/// </summary>
public sealed record DashboardOptions
{
    public const int DefaultPort = 8765;

    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; init; } = DefaultPort;

    public string? Token { get; init; }

    /// <summary>How often the study store is read for changes.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public bool IsLoopback =>
        Host is "localhost" || (IPAddress.TryParse(Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Every problem with these options, in words a user can act on (empty when they are fine).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Host is not "localhost" && !IPAddress.TryParse(Host.Trim('[', ']'), out _))
        {
            problems.Add($"--host '{Host}' is not an IP address (use 127.0.0.1, ::1 or 0.0.0.0)");
        }
        else if (!IsLoopback && string.IsNullOrEmpty(Token))
        {
            problems.Add($"--host {Host} serves the studies to the network; give --token SECRET too (every request must then carry it)");
        }

        if (Port is < 0 or > 65535)
        {
            problems.Add($"--port {Port} is not a TCP port (1–65535)");
        }

        if (Token is { Length: > 0 and < 8 })
        {
            problems.Add("--token is shorter than 8 characters; use a long random one (e.g. openssl rand -hex 16)");
        }

        return problems;
    }
}
