using Seamless.Cli.Infrastructure;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl-C: stop cleanly (temp files removed, studies left resumable); a second one kills the process.
    if (!cancel.IsCancellationRequested)
    {
        e.Cancel = true;
        cancel.Cancel();
    }
};

return CliApp.Run(args, CliConsoles.System(), cancel.Token);
