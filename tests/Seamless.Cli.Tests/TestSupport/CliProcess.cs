using System.Diagnostics;
using System.Text;

namespace Seamless.Tests.TestSupport;

/// <summary>
/// The CLI in a process of its own, for tests that kill it. It runs from the test's folder with the test's runtime
/// configuration and dependency list: they hold everything seamless.dll needs (Npgsql's logging abstractions come
/// with the ASP.NET Core framework the fakes use). Its stderr is kept for failure messages.
/// </summary>
public sealed class CliProcess : IDisposable
{
    private readonly StringBuilder _errors = new();

    private CliProcess(Process process) => Process = process;

    public Process Process { get; }

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static CliProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        var self = Path.Combine(AppContext.BaseDirectory, "Seamless.Cli.Tests");
        foreach (var a in new[] { "exec", "--runtimeconfig", self + ".runtimeconfig.json", "--depsfile", self + ".deps.json", Path.Combine(AppContext.BaseDirectory, "seamless.dll") }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        var cli = new CliProcess(Process.Start(start)!);
        cli.Process.ErrorDataReceived += (_, e) =>
        {
            lock (cli._errors)
            {
                cli._errors.AppendLine(e.Data);
            }
        };
        cli.Process.OutputDataReceived += (_, _) => { };
        cli.Process.BeginErrorReadLine();
        cli.Process.BeginOutputReadLine();
        return cli;
    }

    /// <summary>SIGKILL, then wait for the process to be gone.</summary>
    public void Kill()
    {
        Process.Kill(entireProcessTree: true);
        Process.WaitForExit();
    }

    public void Dispose() => Process.Dispose();
}
