using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Seamless.Tests.Studies;

/// <summary>
/// A PostgreSQL server of the test's own (initdb in a temp folder, a free loopback port), so a test can restart it
/// without disturbing the shared server other tests use. Needs SEAMLESS_TEST_PGBIN (the folder of initdb and
/// pg_ctl) and, when the tests run as root, SEAMLESS_TEST_PG_RUNAS (the account that owns the cluster).
/// </summary>
public sealed class ScratchPostgres : IDisposable
{
    public const string BinVariable = "SEAMLESS_TEST_PGBIN";
    public const string RunAsVariable = "SEAMLESS_TEST_PG_RUNAS";
    private readonly string _bin;
    private readonly string? _runAs;
    private readonly string _data;

    public ScratchPostgres()
    {
        _bin = Environment.GetEnvironmentVariable(BinVariable)!;
        _runAs = Environment.GetEnvironmentVariable(RunAsVariable);
        _data = Directory.CreateTempSubdirectory("seamless-pg-").FullName;
        if (_runAs is { Length: > 0 })
        {
            Run("chown", $"{_runAs} {_data}", asOwner: false);
        }

        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        Run(Path.Combine(_bin, "initdb"), $"-D {_data} -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8");
        Start();
    }

    public int Port { get; }

    public string Uri => $"postgresql://postgres@127.0.0.1:{Port}/postgres";

    public static bool Available => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(BinVariable));

    public void Restart() => Run(Path.Combine(_bin, "pg_ctl"), $"-D {_data} -l {_data}/server.log -w -t 60 -m fast {Options} restart");

    private string Options => $"-o \"-c listen_addresses=127.0.0.1 -p {Port} -k {_data} -c fsync=off\"";

    private void Start() => Run(Path.Combine(_bin, "pg_ctl"), $"-D {_data} -l {_data}/server.log -w -t 60 {Options} start");

    private void Run(string program, string arguments, bool asOwner = true)
    {
        var (file, args) = asOwner && _runAs is { Length: > 0 } ? ("runuser", $"-u {_runAs} -- {program} {arguments}") : (program, arguments);
        using var p = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"{file} {args}"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stderr = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} failed ({p.ExitCode}): {stderr}");
        }
    }

    public void Dispose()
    {
        try
        {
            Run(Path.Combine(_bin, "pg_ctl"), $"-D {_data} -w -m immediate stop");
        }
        catch (InvalidOperationException)
        {
        }

        Directory.Delete(_data, recursive: true);
    }
}

/// <summary>A fact that needs a scratch PostgreSQL server; skipped with the reason elsewhere.</summary>
public sealed class ScratchPostgresFactAttribute : FactAttribute
{
    public ScratchPostgresFactAttribute()
    {
        if (!ScratchPostgres.Available)
        {
            Skip = $"{ScratchPostgres.BinVariable} is not set (CI sets it): this test starts and restarts a PostgreSQL server of its own";
        }
    }
}
