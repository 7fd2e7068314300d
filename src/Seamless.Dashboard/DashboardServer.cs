using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Seamless.Dashboard.Assets;
using Seamless.Dashboard.Live;
using Seamless.Dashboard.Model;
using Seamless.Dashboard.Security;
using Seamless.Reports.Model;
using Seamless.Search.Studies;

namespace Seamless.Dashboard;

/// <summary>
/// <c>seamless dashboard</c>: a read-only local web app over a study store. One <see cref="StudyFeed"/> reads the store;
/// pages get JSON views and inline SVG charts; changes reach open pages as server-sent events (<c>/api/events</c>).
/// Everything it serves is compiled in or computed; the only files it reads are the sample images under each study's
/// report folder, by names it checks (<see cref="TrialSamples.IsImageName"/>).
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private const string Csp = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

    /// <summary>How many of the most recently active studies get their views built at start.</summary>
    public const int PrebuiltStudies = 3;

    private readonly WebApplication _app;
    private readonly StudyFeed _feed;
    private readonly StudyViewCache _cache;
    private readonly ChangeBroadcast _broadcast;

    private DashboardServer(WebApplication app, StudyFeed feed, StudyViewCache cache, ChangeBroadcast broadcast, Uri url)
    {
        _app = app;
        _feed = feed;
        _cache = cache;
        _broadcast = broadcast;
        Url = url;
    }

    /// <summary>The address it listens on (with the real port when <see cref="DashboardOptions.Port"/> was 0).</summary>
    public Uri Url { get; }

    /// <summary>Starts serving <paramref name="store"/> (owned by the caller, read only by the feed's thread).</summary>
    public static async Task<DashboardServer> StartAsync(IStudyStore store, string storage, DashboardOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }

        var feed = new StudyFeed(store, options.PollInterval);
        var broadcast = new ChangeBroadcast();
        var cache = new StudyViewCache(feed, storage, broadcast);
        feed.Start();

        // The most recently active studies are the likely first clicks: their views are built before anyone asks.
        cache.Prebuild(feed.Snapshots.Values
            .OrderByDescending(s => s.Trials.Select(t => t.Heartbeat ?? t.Finished ?? t.Started ?? s.Study.Created).DefaultIfEmpty(s.Study.Created).Max())
            .Take(PrebuiltStudies).Select(s => s.Study.Config.Name));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var host = options.Host.Contains(':', StringComparison.Ordinal) ? $"[{options.Host.Trim('[', ']')}]" : options.Host;
        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{options.Port}"));
        var app = builder.Build();
        var gate = new TokenGate(options.Token);
        app.Use(async (context, next) =>
        {
            context.Response.Headers.ContentSecurityPolicy = Csp;
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            await gate.InvokeAsync(context, next).ConfigureAwait(false);
        });
        Map(app, feed, cache, broadcast, storage);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            cache.Dispose();
            feed.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardServer(app, feed, cache, broadcast, new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "/"));
    }

    private static void Map(WebApplication app, StudyFeed feed, StudyViewCache cache, ChangeBroadcast broadcast, string storage)
    {
        app.MapGet("/", () => Asset("index.html"));
        app.MapGet("/assets/{file}", (string file) => Asset(file));
        app.MapGet("/api/studies", () =>
        {
            var now = DateTimeOffset.UtcNow;
            var list = feed.Snapshots.Values.OrderBy(s => s.Study.Id).Select(s => StudyViewBuilder.Summary(s, now)).ToList();
            return Json(new { storage, error = feed.LastError, studies = list });
        });
        app.MapGet("/api/studies/{name}", async (string name, CancellationToken cancel) =>
            await cache.ViewAsync(name, cancel).ConfigureAwait(false) is { } json ? Results.Bytes(json, "application/json") : NotFound($"no study named '{name}'"));
        app.MapGet("/api/studies/{name}/trials", (string name, string? sort, bool? desc, string? state, string? q, int? page, int? size) =>
            feed.Snapshots.TryGetValue(name, out var s)
                ? Json(TrialQuery.Page(s, sort ?? "n", desc ?? true, state, q, page ?? 0, size ?? 100))
                : NotFound($"no study named '{name}'"));
        app.MapGet("/api/studies/{name}/recipe", (string name, int trial, int? vs) =>
            feed.Snapshots.TryGetValue(name, out var s) && StudyViewBuilder.Recipe(s, trial, vs, storage) is { } r
                ? Json(new { svg = r.Svg, export = r.Export })
                : NotFound($"study '{name}' has no trial {trial}{(vs is { } v ? $" or {v}" : "")}, or is not a merge search"));
        app.MapGet("/api/studies/{name}/samples", (string name, int left, int right) =>
            feed.Snapshots.TryGetValue(name, out var s) ? Json(StudyViewBuilder.Samples(s, left, right)) : NotFound($"no study named '{name}'"));
        app.MapGet("/api/studies/{name}/trials/{trial:int}/samples/{file}", (string name, int trial, string file) =>
        {
            if (!feed.Snapshots.TryGetValue(name, out var s) || StudyViewBuilder.ReportFolder(s) is not { } folder || !TrialSamples.IsImageName(file))
            {
                return NotFound("no such sample image");
            }

            var root = Path.GetFullPath(Path.Combine(folder, TrialSamples.Folder)) + Path.DirectorySeparatorChar;
            var path = Path.GetFullPath(Path.Combine(TrialSamples.TrialFolder(folder, trial), file));
            return path.StartsWith(root, StringComparison.Ordinal) && File.Exists(path) ? Results.File(path, "image/jpeg") : NotFound("no such sample image");
        });
        app.MapGet("/api/events", async (HttpContext context, CancellationToken cancel) =>
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            var reader = broadcast.Subscribe(cancel);
            await context.Response.WriteAsync("event: hello\ndata: {}\n\n", cancel).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
            try
            {
                while (!cancel.IsCancellationRequested)
                {
                    using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                    keepAlive.CancelAfter(TimeSpan.FromSeconds(15));
                    string message;
                    try
                    {
                        message = await reader.ReadAsync(keepAlive.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                    {
                        await context.Response.WriteAsync(": keep-alive\n\n", cancel).ConfigureAwait(false);
                        await context.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
                        continue;
                    }

                    var list = message == ChangeBroadcast.ListMessage;
                    var data = JsonSerializer.Serialize(new { study = list ? null : message["study:".Length..] });
                    await context.Response.WriteAsync($"event: {(list ? "studies" : "study")}\ndata: {data}\n\n", cancel).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
                // The page went away, or the dashboard is stopping.
            }
        });
    }

    private static IResult Asset(string name) =>
        EmbeddedAssets.Find(name) is { } a ? Results.Bytes(a.Bytes, a.Type) : NotFound("no such file");

    private static IResult Json(object? value) => Results.Bytes(JsonSerializer.SerializeToUtf8Bytes(value, StudyViewCache.Json), "application/json");

    private static IResult NotFound(string message) => Results.Text(message + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);

    public async ValueTask DisposeAsync()
    {
        _broadcast.Complete();
        _cache.Dispose();
        _feed.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
