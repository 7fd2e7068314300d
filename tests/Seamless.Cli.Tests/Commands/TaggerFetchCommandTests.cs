using Seamless.Architecture;
using Seamless.Evaluation.Fabrication;
using Seamless.Tagging.Onnx.Fabrication;

namespace Seamless.Tests.Commands;

/// <summary><c>tagger fetch</c> against a loopback server laid out like the Hugging Face hub (<c>/{repo}/resolve/{rev}/{file}</c>).</summary>
public sealed class TaggerFetchCommandTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private LoopbackHub _hub = null!;

    public async Task InitializeAsync()
    {
        var source = _temp.File("source");
        TinyTaggerBuilder.Write(new TinyWorld(2, BlockMap.LayoutOf(ModelArchitecture.SD1).StandardBlocks.Count), source);
        _hub = new LoopbackHub("acme/tiny-tagger", file => File.Exists(Path.Combine(source, file)) ? File.ReadAllBytes(Path.Combine(source, file)) : null);
        await _hub.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public void Fetch_FromHub_WritesTheTaggerAndChecksItLoads()
    {
        var r = CliRunner.Run("tagger", "fetch", "acme/tiny-tagger", "--hub", _hub.Url.ToString(), "--out", _temp.File("got"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("101 labels", r.Output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(_temp.File("source/model.onnx")), File.ReadAllBytes(_temp.File("got/model.onnx")));
        Assert.Empty(Directory.GetFiles(_temp.File("got"), "*.part"));
    }

    [Fact]
    public void Fetch_MissingFile_OneErrorNamingTheUrl()
    {
        var r = CliRunner.Run("tagger", "fetch", "acme/tiny-tagger", "--hub", _hub.Url.ToString(), "--out", _temp.File("got"), "--files", "model.onnx,classes.json");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("/acme/tiny-tagger/resolve/main/classes.json: answered 404", r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("got/classes.json")));
    }
}
