using Seamless.Application.Studies;
using Seamless.Cli.Infrastructure;
using Seamless.Dashboard;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary><c>seamless dashboard --storage S</c>: the live, read-only web view of a study store, until Ctrl-C.</summary>
public sealed class DashboardCommand(CliConsoles consoles) : AsyncCommand<DashboardSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, DashboardSettings settings, CancellationToken cancellationToken)
    {
        using var store = StudyStores.Open(settings.Storage, consoles.WriteNote);
        DashboardServer server;
        try
        {
            server = await DashboardServer.StartAsync(store, StudyStores.Describe(settings.Storage), settings.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new Errors.RecipeException(null, $"cannot listen on {settings.Host}:{settings.Port}: {ex.Message} (is another dashboard running? try --port 0)");
        }

        await using (server.ConfigureAwait(false))
        {
            var link = settings.Token is null ? server.Url.ToString() : $"{server.Url}?token={Uri.EscapeDataString(settings.Token)}";
            consoles.Out.MarkupLine(Markup.Escape($"Dashboard of {StudyStores.Describe(settings.Storage)} at {link} (read-only; Ctrl-C stops it)"));
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C is how a dashboard ends.
            }
        }

        return 0;
    }
}
