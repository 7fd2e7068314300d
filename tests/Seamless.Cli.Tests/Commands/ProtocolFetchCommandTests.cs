using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Seamless.Evaluation.Protocols;
using Seamless.Tests.Fakes;

namespace Seamless.Tests.Commands;

/// <summary><c>protocol fetch rimo</c> against a loopback server laid out like raw.githubusercontent.com.</summary>
public sealed class ProtocolFetchCommandTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private RawFiles _server = null!;

    private sealed class RawFiles(Dictionary<string, byte[]> files) : FakeServer(string.Empty)
    {
        protected override void Map(WebApplication app) =>
            app.MapGet("/{**path}", (string path) => files.TryGetValue("/" + path, out var bytes) ? Results.Bytes(bytes) : Results.NotFound());
    }

    private static Dictionary<string, byte[]> Files(string common) => new()
    {
        [$"/{RimoBenchmark.Repository}/{RimoBenchmark.TagListCommit}/common.py"] = System.Text.Encoding.UTF8.GetBytes(common),
        [$"/{RimoBenchmark.Repository}/{RimoBenchmark.CategoriesCommit}/data/目录.json"] = System.Text.Encoding.UTF8.GetBytes(
            """{"human-actions": {"name": "人物-动作", "keys": ["sitting", "standing"]}, "natural-sky": {"name": "自然-天空", "keys": ["cloud"]}}"""),
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _temp.Dispose();
    }

    private async Task Serve(string common)
    {
        _server = new RawFiles(Files(common));
        await _server.StartAsync();
    }

    [Fact]
    public async Task Fetch_Rimo_BothFilesWrittenAndRead()
    {
        await Serve("import x\n要测的标签 = ['sitting', 'cloud', 'long hair']\n");
        var r = CliRunner.Run("protocol", "fetch", "rimo", "--source", _server.Url.ToString(), "--out", _temp.File("rimo"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("3 tags, 2 of them in the 7 categories", r.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(_temp.File("rimo/common.py")) && File.Exists(_temp.File("rimo/categories.json")));
        Assert.Empty(Directory.GetFiles(_temp.File("rimo"), "*.part"));
    }

    [Fact]
    public async Task Fetch_TagListNotReadable_OneErrorNamingTheFileAndLine()
    {
        await Serve("要测的标签 = ['sitting', 'cloud'\n");
        var r = CliRunner.Run("protocol", "fetch", "rimo", "--source", _server.Url.ToString(), "--out", _temp.File("rimo"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("common.py: line 2: the list is not closed", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Fetch_UnknownProtocol_RefusedBeforeAnyDownload()
    {
        var r = CliRunner.Run("protocol", "fetch", "nope", "--source", "http://127.0.0.1:1", "--out", _temp.File("x"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown protocol 'nope' (known: rimo)", r.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.File("x")));
    }
}
