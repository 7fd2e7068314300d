using Seamless.Backends.Web;
using Seamless.Backends.Web.A1111;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Generation;
using Seamless.Imaging;
using Seamless.Tests.Fakes;

namespace Seamless.Tests.A1111;

public sealed class A1111GeneratorTests : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private FakeA1111Server _server = null!;
    private CandidateModel _model = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeA1111Server.StartAsync(_dir.File("models"));
        Directory.CreateDirectory(_dir.File("models"));
        var path = _dir.File("candidate.safetensors");
        await File.WriteAllBytesAsync(path, [8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}', 32, 32, 32, 32, 32, 32]);
        _model = new CandidateModel(path, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(path))), "trial-7");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private A1111Generator Generator(Func<WebBackendOptions, WebBackendOptions>? tweak = null)
    {
        var options = new WebBackendOptions(_server.Url, _dir.File("models")) { RetryDelay = TimeSpan.FromMilliseconds(5), AttemptTimeout = TimeSpan.FromSeconds(20), Retries = 3 };
        return new A1111Generator(tweak is null ? options : tweak(options), new SkiaImageCodec());
    }

    private static GenerationRequest Request(int count = 8, string sampler = "DPM++ 2M") =>
        new("1girl, long hair", "lowres", 1000, count, 4, 64, 64, 20, sampler, "karras", 7);

    [Fact]
    public async Task Generate_HappyPath_VerifiedImagesGridDroppedCandidateRemoved()
    {
        await using var generator = Generator();
        IReadOnlyList<GeneratedImage> images;
        string placed;
        await using (var session = await generator.OpenAsync(_model, CancellationToken.None))
        {
            placed = Path.Combine(_dir.File("models"), "seamless", CandidateFiles.FileName(_model));
            Assert.True(File.Exists(placed));
            Assert.StartsWith("seamless/trial-7-", _server.CurrentTitle, StringComparison.Ordinal);
            images = await session.GenerateAsync(Request(), CancellationToken.None);
        }

        Assert.Equal(Enumerable.Range(1000, 8).Select(i => (long)i), images.Select(i => i.Seed));
        Assert.All(images, i => Assert.NotNull(i.Pixels));
        Assert.Equal(8, images.Select(i => Convert.ToHexString(i.Encoded!)).Distinct().Count());
        Assert.False(File.Exists(placed));
        Assert.True(File.Exists(_model.Path));
        Assert.Equal(2, _server.Txt2ImgBodies.Count);
        Assert.Equal("karras", _server.Txt2ImgBodies[0].GetProperty("scheduler").GetString());
        Assert.Equal(1004, _server.Txt2ImgBodies[1].GetProperty("seed").GetInt64());
    }

    [Fact]
    public async Task Generate_WithVae_OverrideSentAndItsPixelsDiffer()
    {
        await using var generator = Generator();
        IReadOnlyList<GeneratedImage> plain, decoded;
        await using (var session = await generator.OpenAsync(_model, CancellationToken.None))
        {
            plain = await session.GenerateAsync(Request(2), CancellationToken.None);
        }

        await using (var session = await generator.OpenAsync(_model with { Vae = "kl-f8-anime2.ckpt" }, CancellationToken.None))
        {
            decoded = await session.GenerateAsync(Request(2), CancellationToken.None);
        }

        Assert.False(_server.Txt2ImgBodies[0].GetProperty("override_settings").TryGetProperty("sd_vae", out _));
        Assert.Equal("kl-f8-anime2.ckpt", _server.Txt2ImgBodies[^1].GetProperty("override_settings").GetProperty("sd_vae").GetString());
        Assert.Equal("kl-f8-anime2.ckpt", _server.CurrentVae);
        Assert.NotEqual(Convert.ToHexString(plain[0].Encoded!), Convert.ToHexString(decoded[0].Encoded!));
    }

    [Fact]
    public async Task Generate_VaeGivenByPathOrNone_MatchedToTheServersName()
    {
        await using var generator = Generator();
        await using (var session = await generator.OpenAsync(_model with { Vae = "/elsewhere/vae-ft-mse-840000-ema-pruned.safetensors" }, CancellationToken.None))
        {
            await session.GenerateAsync(Request(1), CancellationToken.None);
        }

        Assert.Equal("vae-ft-mse-840000-ema-pruned.safetensors", _server.CurrentVae);
        await using (var session = await generator.OpenAsync(_model with { Vae = "none" }, CancellationToken.None))
        {
            await session.GenerateAsync(Request(1), CancellationToken.None);
        }

        Assert.Null(_server.CurrentVae);
    }

    [Fact]
    public async Task Open_UnknownVae_RefusedNamingWhatTheServerHas()
    {
        await using var generator = Generator();

        var ex = await Assert.ThrowsAsync<EvaluationException>(() => generator.OpenAsync(_model with { Vae = "blessed2.vae.pt" }, CancellationToken.None));

        Assert.Equal(EvaluationError.BackendFailed, ex.Reason);
        Assert.Contains("no VAE 'blessed2.vae.pt'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("kl-f8-anime2.ckpt", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir.File("models"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Generate_ServerIgnoresVaeOverride_BackendMismatch()
    {
        _server.IgnoreVae = true;
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model with { Vae = "kl-f8-anime2.ckpt" }, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<EvaluationException>(() => session.GenerateAsync(Request(1), CancellationToken.None));

        Assert.Equal(EvaluationError.BackendMismatch, ex.Reason);
        Assert.Contains("decoded with VAE '(the checkpoint's)' instead of 'kl-f8-anime2.ckpt'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_ServerIgnoresCheckpointOverride_BackendMismatchNoImages()
    {
        _server.IgnoreOverride = true;
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<EvaluationException>(() => session.GenerateAsync(Request(), CancellationToken.None));
        Assert.Equal(EvaluationError.BackendMismatch, ex.Reason);
        Assert.Contains("override was ignored", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_ServerSwapsSampler_BackendMismatch()
    {
        _server.SwapSampler = true;
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<EvaluationException>(() => session.GenerateAsync(Request(), CancellationToken.None));
        Assert.Contains("sampler 'Euler' instead of 'DPM++ 2M'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_UnknownSampler_RefusedBeforeAnyDrawing()
    {
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<EvaluationException>(() => session.GenerateAsync(Request(sampler: "DPM++ 3M Turbo"), CancellationToken.None));
        Assert.Contains("no sampler 'DPM++ 3M Turbo'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Txt2ImgBodies);
    }

    [Fact]
    public async Task Generate_LegacyServer_SchedulerFoldedIntoSamplerName()
    {
        _server.Legacy = true;
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        await session.GenerateAsync(Request(4), CancellationToken.None);
        Assert.Equal("DPM++ 2M Karras", _server.Txt2ImgBodies[0].GetProperty("sampler_name").GetString());
        Assert.False(_server.Txt2ImgBodies[0].TryGetProperty("scheduler", out _));
    }

    [Fact]
    public async Task Generate_Two500s_RetriedAndSucceeds()
    {
        _server.Fail500 = 2;
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        var images = await session.GenerateAsync(Request(4), CancellationToken.None);
        Assert.Equal(4, images.Count);
        Assert.Equal(3, _server.Txt2ImgBodies.Count);
    }

    [Fact]
    public async Task Generate_Always500_FailsAfterRetryBudgetWithServerMessage()
    {
        _server.Fail500 = 1000;
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<EvaluationException>(() => session.GenerateAsync(Request(4), CancellationToken.None));
        Assert.Equal(EvaluationError.BackendFailed, ex.Reason);
        Assert.Contains("answered 500", ex.Message, StringComparison.Ordinal);
        Assert.Contains("after 4 attempts", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CUDA out of memory", ex.Message, StringComparison.Ordinal);
        Assert.Equal(4, _server.Txt2ImgBodies.Count);
    }

    [Fact]
    public async Task Generate_HangingAttempt_TimedOutAndRetried()
    {
        // The hang lasts until the client aborts it; the timeout is long enough that an answered attempt on a loaded
        // machine never reaches it, so exactly one attempt hangs and one more succeeds.
        _server.Hang = 1;
        await using var generator = Generator(o => o with { AttemptTimeout = TimeSpan.FromSeconds(3) });
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        var images = await session.GenerateAsync(Request(4), CancellationToken.None);
        Assert.Equal(4, images.Count);
        Assert.Equal(1, _server.Hung);
        Assert.Equal(2, _server.Txt2ImgBodies.Count);
    }

    [Fact]
    public async Task Generate_CorruptPngOnce_RetriedAndSucceeds()
    {
        _server.Corrupt = 1;
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        Assert.Equal(4, (await session.GenerateAsync(Request(4), CancellationToken.None)).Count);
        Assert.Equal(2, _server.Txt2ImgBodies.Count);
    }

    [Fact]
    public async Task Generate_CorruptPngAlways_TrialFailsNeverScored()
    {
        _server.Corrupt = 1000;
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<EvaluationException>(() => session.GenerateAsync(Request(4), CancellationToken.None));
        Assert.Contains("not a valid PNG", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_AuthRequired_WrongCredentialsNamedPasswordNeverShown()
    {
        _server.RequiredAuth = "alice:s3cret";
        await using (var bad = Generator(o => o with { Auth = "alice:wrong-pass" }))
        {
            var ex = await Assert.ThrowsAsync<EvaluationException>(() => bad.OpenAsync(_model, CancellationToken.None));
            Assert.Contains("401", ex.Message, StringComparison.Ordinal);
            Assert.Contains("--api-auth", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-pass", ex.Message, StringComparison.Ordinal);
        }

        await using var good = Generator(o => o with { Auth = "alice:s3cret" });
        await using var session = await good.OpenAsync(_model, CancellationToken.None);
        Assert.Equal(4, (await session.GenerateAsync(Request(4), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Open_ModelsDirNotTheServers_ClearErrorAndNothingLeftBehind()
    {
        await using var generator = Generator(o => o with { ModelsDir = _dir.File("elsewhere") });
        var ex = await Assert.ThrowsAsync<EvaluationException>(() => generator.OpenAsync(_model, CancellationToken.None));
        Assert.Contains("does not list the candidate", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir.File("elsewhere"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Open_ServerDown_BackendFailedAfterRetries()
    {
        var url = _server.Url;
        await _server.DisposeAsync();
        await using var generator = Generator(o => o with { Url = url });
        var ex = await Assert.ThrowsAsync<EvaluationException>(() => generator.OpenAsync(_model, CancellationToken.None));
        Assert.Equal(EvaluationError.BackendFailed, ex.Reason);
        Assert.Contains("after 4 attempts", ex.Message, StringComparison.Ordinal);
        _server = await FakeA1111Server.StartAsync(_dir.File("models"));
    }

    [Fact]
    public async Task Generate_ServerIgnoredTheSteps_RefusedAsMismatch()
    {
        _server.WrongSteps = true;
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<EvaluationException>(() => session.GenerateAsync(Request(4), CancellationToken.None));
        Assert.Equal(EvaluationError.BackendMismatch, ex.Reason);
        Assert.Contains("drew with steps", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_EveryField_AcceptedByTheFakesModelAndReportedBack()
    {
        // The fake refuses fields A1111's model does not have and values of the wrong type (422), and reports what it
        // drew with; the client checks the report, so every field it sends is one the server took.
        await using var generator = Generator();
        await using var session = await generator.OpenAsync(_model, CancellationToken.None);
        await session.GenerateAsync(new GenerationRequest("1girl, smile", "lowres, bad hands", 40, 2, 2, 64, 128, 13, "DPM++ 2M", "karras", 5.5), CancellationToken.None);
        var body = Assert.Single(_server.Txt2ImgBodies);
        Assert.Equal(("lowres, bad hands", 13, 5.5, 64, 128, 2), (body.GetProperty("negative_prompt").GetString(), body.GetProperty("steps").GetInt32(), body.GetProperty("cfg_scale").GetDouble(), body.GetProperty("width").GetInt32(), body.GetProperty("height").GetInt32(), body.GetProperty("batch_size").GetInt32()));
    }

    [Fact]
    public async Task Txt2Img_MisspeltOrMistypedField_RefusedByTheFakeWith422()
    {
        using var http = new HttpClient();
        var body = System.Text.Json.JsonSerializer.Serialize(new { prompt = "x", negative_prompt = "", seed = 1, subseed_strength = 0, batch_size = 1, n_iter = 1, steps = "20", cfg_scale = 7, width = 64, height = 64, sampler_name = "Euler", cfg = 7 });
        using var response = await http.PostAsync(new Uri(_server.Url, "/sdapi/v1/txt2img"), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"cfg\"", text, StringComparison.Ordinal);
        Assert.Contains("\"steps\"", text, StringComparison.Ordinal);
    }
}
