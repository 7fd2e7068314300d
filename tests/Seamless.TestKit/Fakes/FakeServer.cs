using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Seamless.Evaluation.Images;
using Seamless.Imaging;

namespace Seamless.Tests.Fakes;

/// <summary>
/// A real Kestrel server on a loopback port, the base of the fake web UIs. Knobs set traps for the client:
/// 500s, hangs, corrupt images, required basic auth.
/// </summary>
public abstract class FakeServer : IAsyncDisposable
{
    private WebApplication? _app;

    protected FakeServer(string modelsDir) => ModelsDir = modelsDir;

    public string ModelsDir { get; }

    public Uri Url { get; private set; } = null!;

    public int Fail500 { get; set; }

    public int Hang { get; set; }

    public int Corrupt { get; set; }

    public string? RequiredAuth { get; set; }

    public List<string> Calls { get; } = [];

    protected static readonly SkiaImageCodec Codec = new();

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Use(async (ctx, next) =>
        {
            lock (Calls)
            {
                Calls.Add($"{ctx.Request.Method} {ctx.Request.Path}");
            }

            if (RequiredAuth is not null)
            {
                var expected = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(RequiredAuth));
                if (ctx.Request.Headers.Authorization.ToString() != expected)
                {
                    ctx.Response.StatusCode = 401;
                    await ctx.Response.WriteAsync("{\"detail\":\"Incorrect username or password\"}");
                    return;
                }
            }

            await next();
        });
        Map(_app);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = new Uri(address);
    }

    protected abstract void Map(WebApplication app);

    /// <summary>Takes one from a trap counter; true when the trap fires for this call.</summary>
    protected bool Take(Func<int> get, Action<int> set)
    {
        lock (Calls)
        {
            var v = get();
            if (v <= 0)
            {
                return false;
            }

            set(v - 1);
            return true;
        }
    }

    protected bool TakeFail500() => Take(() => Fail500, v => Fail500 = v);

    protected bool TakeHang() => Take(() => Hang, v => Hang = v);

    protected bool TakeCorrupt() => Take(() => Corrupt, v => Corrupt = v);

    /// <summary>Checkpoints under the models folder: relative path with '/', full path, sha256.</summary>
    protected List<(string Relative, string Full, string Sha256)> Checkpoints() =>
        Directory.Exists(ModelsDir)
            ? Directory.GetFiles(ModelsDir, "*.safetensors", SearchOption.AllDirectories)
                .Select(f => (Path.GetRelativePath(ModelsDir, f).Replace('\\', '/'), f, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))))
                .OrderBy(x => x.Item1, StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>A small PNG whose colour encodes what drew it, so tests can tell images apart.</summary>
    protected static byte[] Png(string model, long seed, string prompt, int size)
    {
        var h = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{model}|{seed}|{prompt}"));
        return Codec.EncodePng(RgbaImage.Filled(Math.Min(size, 32), Math.Min(size, 32), h[0], h[1], h[2]));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
