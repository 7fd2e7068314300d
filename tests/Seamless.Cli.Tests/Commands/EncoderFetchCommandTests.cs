using Seamless.Tagging.Onnx.Fabrication;

namespace Seamless.Tests.Commands;

/// <summary><c>encoder fetch</c> against a loopback server laid out like the Hugging Face hub, the model in a subfolder as Transformers.js exports keep it.</summary>
public sealed class EncoderFetchCommandTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private LoopbackHub _hub = null!;
    private readonly List<string> _asked = [];

    public async Task InitializeAsync()
    {
        var source = _temp.File("source");
        TinyEncoderBuilder.Write(source, TinyEncoderWeights.Random(3), 20);
        _hub = new LoopbackHub("acme/tiny-clip", file =>
        {
            lock (_asked)
            {
                _asked.Add(file);
            }

            var local = file == "onnx/vision_model.onnx" ? "model.onnx" : file;
            return File.Exists(Path.Combine(source, local)) ? File.ReadAllBytes(Path.Combine(source, local)) : null;
        });
        await _hub.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public void Fetch_FromHub_WritesModelAndPreprocessingAndChecksItLoads()
    {
        var r = CliRunner.Run("encoder", "fetch", "acme/tiny-clip", "--hub", _hub.Url.ToString(), "--out", _temp.File("got"));

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("input 16² (short side 20)", r.Output, StringComparison.Ordinal);
        Assert.Contains("onnx/vision_model.onnx", _asked);
        Assert.Equal(File.ReadAllBytes(_temp.File("source/model.onnx")), File.ReadAllBytes(_temp.File("got/model.onnx")));
        Assert.True(File.Exists(_temp.File("got/preprocessor_config.json")));
        Assert.Empty(Directory.GetFiles(_temp.File("got"), "*.part"));
    }

    [Fact]
    public void Fetch_MissingModel_OneErrorNamingTheUrl()
    {
        var r = CliRunner.Run("encoder", "fetch", "acme/tiny-clip", "--hub", _hub.Url.ToString(), "--out", _temp.File("got"), "--file", "onnx/nope.onnx");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("/acme/tiny-clip/resolve/main/onnx/nope.onnx: answered 404", r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("got/model.onnx")));
    }

    [Fact]
    public void Fetch_FileEscapingTheRepository_IsRefusedBeforeAnyDownload()
    {
        var r = CliRunner.Run("encoder", "fetch", "acme/tiny-clip", "--hub", _hub.Url.ToString(), "--file", "../secret.onnx");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--file must be a relative path", r.Error, StringComparison.Ordinal);
        Assert.Empty(_asked);
    }
}
