using Seamless.Backends.Web;
using Seamless.Backends.Web.ComfyUi;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Generation;
using Seamless.Imaging;
using Seamless.Tests.Fakes;

namespace Seamless.Tests.ComfyUi;

public sealed class ComfyUiGeneratorTests : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private FakeComfyServer _server = null!;
    private CandidateModel _model = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir.File("checkpoints"));
        _server = await FakeComfyServer.StartAsync(_dir.File("checkpoints"));
        var path = _dir.File("candidate.safetensors");
        await File.WriteAllBytesAsync(path, [8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}', 32, 32, 32, 32, 32, 32]);
        _model = new CandidateModel(path, new string('a', 64), "trial-3");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private ComfyUiGenerator Generator() =>
        new(new WebBackendOptions(_server.Url, _dir.File("checkpoints")) { RetryDelay = TimeSpan.FromMilliseconds(5), PollInterval = TimeSpan.FromMilliseconds(20), Retries = 2 }, new SkiaImageCodec());

    private static GenerationRequest Request(int count = 8) => new("1girl, smile", "lowres", 500, count, 4, 64, 64, 20, "DPM++ 2M", "karras", 7);

    [Fact]
    public async Task Generate_HappyPath_GraphPerBatchImagesFromView()
    {
        await using var generator = Generator();
        IReadOnlyList<GeneratedImage> images;
        await using (var session = await generator.OpenAsync(_model, CancellationToken.None))
        {
            images = await session.GenerateAsync(Request(), CancellationToken.None);
        }

        Assert.Equal(Enumerable.Range(500, 8).Select(i => (long)i), images.Select(i => i.Seed));
        Assert.Equal(2, _server.Graphs.Count);
        var ks = _server.Graphs[1].GetProperty("3").GetProperty("inputs");
        Assert.Equal(504, ks.GetProperty("seed").GetInt64());
        Assert.Equal("dpmpp_2m", ks.GetProperty("sampler_name").GetString());
        Assert.Equal("karras", ks.GetProperty("scheduler").GetString());
        Assert.Equal($"seamless/{CandidateFiles.FileName(_model)}", _server.Graphs[0].GetProperty("4").GetProperty("inputs").GetProperty("ckpt_name").GetString());
        Assert.Empty(Directory.GetFiles(_dir.File("checkpoints"), "*.safetensors", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Generate_WithVae_VaeLoaderDecodesAndTheServerRunsIt()
    {
        Directory.CreateDirectory(_dir.File("vae"));
        await File.WriteAllBytesAsync(_dir.File("vae/kl-f8-anime2.safetensors"), [0]);
        await using var generator = Generator();
        await using (var session = await generator.OpenAsync(_model with { Vae = "kl-f8-anime2.safetensors" }, CancellationToken.None))
        {
            await session.GenerateAsync(Request(2), CancellationToken.None);
        }

        var graph = _server.Graphs[0];
        Assert.Equal("VAELoader", graph.GetProperty(ComfyGraph.VaeNode).GetProperty("class_type").GetString());
        Assert.Equal(ComfyGraph.VaeNode, graph.GetProperty("8").GetProperty("inputs").GetProperty("vae")[0].GetString());
        Assert.Equal("kl-f8-anime2.safetensors", _server.Runs[0]["vae"]);
    }

    [Fact]
    public async Task Generate_ServerDecodesWithTheCheckpointsVae_BackendMismatch()
    {
        Directory.CreateDirectory(_dir.File("vae"));
        await File.WriteAllBytesAsync(_dir.File("vae/kl-f8-anime2.safetensors"), [0]);
        _server.DropVae = true;
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model with { Vae = "kl-f8-anime2.safetensors" }, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<EvaluationException>(() => session.GenerateAsync(Request(2), CancellationToken.None));

        Assert.Equal(EvaluationError.BackendMismatch, ex.Reason);
        Assert.Contains("with VAE '(the checkpoint's)' instead of 'kl-f8-anime2.safetensors'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_UnknownVae_RefusedNamingWhatVaeLoaderLists()
    {
        Directory.CreateDirectory(_dir.File("vae"));
        await File.WriteAllBytesAsync(_dir.File("vae/kl-f8-anime2.safetensors"), [0]);
        await using var generator = Generator();

        var ex = await Assert.ThrowsAsync<EvaluationException>(() => generator.OpenAsync(_model with { Vae = "blessed2.vae.safetensors" }, CancellationToken.None));

        Assert.Contains("no VAE 'blessed2.vae.safetensors'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("kl-f8-anime2.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir.File("checkpoints"), "*.safetensors", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Generate_CandidateRemovedBeforeDrawing_NodeErrorsReported()
    {
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        File.Delete(Path.Combine(_dir.File("checkpoints"), "seamless", CandidateFiles.FileName(_model)));
        var ex = await Assert.ThrowsAsync<EvaluationException>(() => session.GenerateAsync(Request(4), CancellationToken.None));
        Assert.Contains("refused the graph", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Value not in list", ex.Message, StringComparison.Ordinal);
        Assert.Single(_server.Graphs);
    }

    [Fact]
    public async Task Generate_ExecutionError_BackendFailedWithServerMessage()
    {
        _server.ExecutionErrors = 1;
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<EvaluationException>(() => session.GenerateAsync(Request(4), CancellationToken.None));
        Assert.Contains("Allocation on device", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_500ThenCorruptView_RetriedAndSucceeds()
    {
        _server.Fail500 = 1;
        _server.Corrupt = 1;
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        var images = await session.GenerateAsync(Request(4), CancellationToken.None);
        Assert.Equal(4, images.Count);
        Assert.Equal(2, _server.Graphs.Count);
    }

    [Fact]
    public async Task Open_ServerDoesNotSeeCandidate_ClearError()
    {
        await using var generator = new ComfyUiGenerator(new WebBackendOptions(_server.Url, _dir.File("elsewhere")) { RetryDelay = TimeSpan.FromMilliseconds(5) }, new SkiaImageCodec());
        var ex = await Assert.ThrowsAsync<EvaluationException>(() => generator.OpenAsync(_model, CancellationToken.None));
        Assert.Contains("models/checkpoints", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_HappyPath_EveryFieldReachedTheExecutedGraph()
    {
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        await session.GenerateAsync(new GenerationRequest("1girl, smile", "lowres, bad hands", 700, 3, 2, 64, 128, 13, "Euler a", "karras", 5.5), CancellationToken.None);
        Assert.Equal(2, _server.Runs.Count);
        var run = _server.Runs[1];
        Assert.Equal($"seamless/{CandidateFiles.FileName(_model)}", run["ckpt"]);
        Assert.Equal("1girl, smile", run["positive"]);
        Assert.Equal("lowres, bad hands", run["negative"]);
        Assert.Equal(702L, run["seed"]);
        Assert.Equal(1, run["batch"]);
        Assert.Equal(64, run["width"]);
        Assert.Equal(128, run["height"]);
        Assert.Equal(13, run["steps"]);
        Assert.Equal(5.5, run["cfg"]);
        Assert.Equal("euler_ancestral", run["sampler"]);
        Assert.Equal("karras", run["scheduler"]);
    }

    [Fact]
    public async Task Generate_ServerRanAnotherCheckpoint_RefusedAsMismatch()
    {
        File.WriteAllBytes(Path.Combine(_dir.File("checkpoints"), "other.safetensors"), [8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}', 32, 32, 32, 32, 32, 32]);
        _server.OtherCheckpoint = "other.safetensors";
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<EvaluationException>(() => session.GenerateAsync(Request(4), CancellationToken.None));
        Assert.Equal(EvaluationError.BackendMismatch, ex.Reason);
        Assert.Contains("with checkpoint 'other.safetensors' instead of the candidate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_ImageMetadataNamesAnotherCheckpoint_RefusedAsMismatch()
    {
        // History can be right while the image came from elsewhere (a stale output); the PNG's own graph says so.
        _server.ImageCheckpoint = "elsewhere.safetensors";
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<EvaluationException>(() => session.GenerateAsync(Request(4), CancellationToken.None));
        Assert.Equal(EvaluationError.BackendMismatch, ex.Reason);
        Assert.Contains("was drawn with 'elsewhere.safetensors'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_NoImageMetadata_HistoryAloneSuffices()
    {
        _server.Metadata = false;
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        Assert.Equal(4, (await session.GenerateAsync(Request(4), CancellationToken.None)).Count);
    }
}
