using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Seamless.Architecture;
using Seamless.Evaluation.Fabrication;
using Seamless.Tagging.Onnx.Fabrication;

namespace Seamless.Tests.Commands;

/// <summary><c>tagger fetch</c> against a loopback server laid out like the Hugging Face hub (<c>/{repo}/resolve/{rev}/{file}</c>).</summary>
public sealed class TaggerFetchCommandTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private WebApplication _hub = null!;
    private string _url = "";

    public async Task InitializeAsync()
    {
        var source = _temp.File("source");
        TinyTaggerBuilder.Write(new TinyWorld(2, BlockMap.LayoutOf(ModelArchitecture.SD1).StandardBlocks.Count), source);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _hub = builder.Build();
        _hub.MapGet("/acme/tiny-tagger/resolve/main/{file}", (string file) =>
            File.Exists(Path.Combine(source, file)) ? Results.Bytes(File.ReadAllBytes(Path.Combine(source, file))) : Results.NotFound());
        await _hub.StartAsync();
        _url = _hub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public void Fetch_FromHub_WritesTheTaggerAndChecksItLoads()
    {
        var r = CliRunner.Run("tagger", "fetch", "acme/tiny-tagger", "--hub", _url, "--out", _temp.File("got"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("101 labels", r.Output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(_temp.File("source/model.onnx")), File.ReadAllBytes(_temp.File("got/model.onnx")));
        Assert.Empty(Directory.GetFiles(_temp.File("got"), "*.part"));
    }

    [Fact]
    public void Fetch_MissingFile_OneErrorNamingTheUrl()
    {
        var r = CliRunner.Run("tagger", "fetch", "acme/tiny-tagger", "--hub", _url, "--out", _temp.File("got"), "--files", "model.onnx,classes.json");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("/acme/tiny-tagger/resolve/main/classes.json: answered 404", r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("got/classes.json")));
    }
}
