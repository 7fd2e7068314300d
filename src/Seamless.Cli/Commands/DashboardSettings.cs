using System.ComponentModel;
using Seamless.Dashboard;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class DashboardSettings : StudySettings
{
    [CommandOption("--port <PORT>")]
    [Description("TCP port (default: 8765; 0 picks a free one).")]
    [DefaultValue(DashboardOptions.DefaultPort)]
    public int Port { get; init; } = DashboardOptions.DefaultPort;

    [CommandOption("--host <ADDRESS>")]
    [Description("Address to listen on (default: 127.0.0.1, this machine only). Any other address needs --token.")]
    [DefaultValue("127.0.0.1")]
    public string Host { get; init; } = "127.0.0.1";

    [CommandOption("--token <SECRET>")]
    [Description("Every request must carry this secret (?token=…, a cookie, or Authorization: Bearer …). Required with --host 0.0.0.0.")]
    public string? Token { get; init; }

    internal DashboardOptions Options => new() { Host = Host, Port = Port, Token = Token };

    protected override ValidationResult Check()
    {
        var problems = Options.Problems().ToList();
        if (base.Check() is { Successful: false } storage)
        {
            problems.Insert(0, storage.Message ?? "storage not found");
        }

        return problems.Count > 0 ? ValidationResult.Error(string.Join("; ", problems)) : ValidationResult.Success();
    }
}
