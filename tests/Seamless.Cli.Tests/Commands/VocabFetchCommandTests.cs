using System.Text.Json;

namespace Seamless.Tests.Commands;

/// <summary>
/// <c>vocab fetch</c> against a loopback hub serving a vocabulary with CLIP's shape (49 408 tokens, 48 894 merges) made
/// here: the 512 byte symbols, 48 894 merges of symbol pairs, the two special tokens.
/// </summary>
public sealed class VocabFetchCommandTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private LoopbackHub _hub = null!;
    private byte[] _vocab = [];
    private byte[] _merges = [];

    public async Task InitializeAsync()
    {
        var symbols = Enumerable.Range(0, 256).Select(i => ((char)(0x100 + i)).ToString()).ToList();
        var pairs = symbols.SelectMany(a => symbols.Select(b => (a, b))).Take(48894).ToList();
        var tokens = symbols.Concat(symbols.Select(s => s + "</w>")).Concat(pairs.Select(p => p.a + p.b)).Append("<|startoftext|>").Append("<|endoftext|>");
        _vocab = JsonSerializer.SerializeToUtf8Bytes(tokens.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i));
        _merges = System.Text.Encoding.UTF8.GetBytes("#version: 0.2\n" + string.Join('\n', pairs.Select(p => $"{p.a} {p.b}")) + "\n");
        _hub = new LoopbackHub("openai/clip-vit-large-patch14", file => file switch
        {
            "vocab.json" => _vocab,
            "merges.txt" => _merges,
            _ => null,
        });
        await _hub.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public void Fetch_FromHub_WritesBothFilesAndChecksTheyLoad()
    {
        var r = CliRunner.Run("vocab", "fetch", "--hub", _hub.Url.ToString(), "--out", _temp.File("clip"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("49408 tokens", r.Output, StringComparison.Ordinal);
        Assert.Equal(_vocab, File.ReadAllBytes(_temp.File("clip/vocab.json")));
        Assert.Equal(_merges, File.ReadAllBytes(_temp.File("clip/merges.txt")));
        Assert.Empty(Directory.GetFiles(_temp.File("clip"), "*.part"));
    }

    [Fact]
    public void Fetch_UnknownRepository_OneErrorNamingTheUrlAndNothingWritten()
    {
        var r = CliRunner.Run("vocab", "fetch", "--hub", _hub.Url.ToString(), "--repo", "acme/nothing", "--out", _temp.File("clip"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("/acme/nothing/resolve/main/vocab.json: answered 404", r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("clip/vocab.json")));
    }
}
