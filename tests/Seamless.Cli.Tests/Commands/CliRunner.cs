using Seamless.Cli.Infrastructure;

namespace Seamless.Tests.Commands;

/// <summary>Runs the real command line in-process and captures what it prints.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Run(args, CliConsoles.Plain(output, error));
        return new Result(code, output.ToString(), error.ToString());
    }
}
