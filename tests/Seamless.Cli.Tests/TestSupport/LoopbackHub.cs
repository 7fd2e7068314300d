using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Seamless.Tests.TestSupport;

/// <summary>
/// A Kestrel server on 127.0.0.1 laid out like the Hugging Face hub: <c>/{repo}/resolve/main/{file}</c> answers the
/// file's bytes from <paramref name="content"/> (null: 404).
/// </summary>
public sealed class LoopbackHub(string repo, Func<string, byte[]?> content) : IAsyncDisposable
{
    private WebApplication? _app;

    public string Url { get; private set; } = "";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet($"/{repo}/resolve/main/{{file}}", (string file) => content(file) is { } bytes ? Results.Bytes(bytes) : Results.NotFound());
        await _app.StartAsync();
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
