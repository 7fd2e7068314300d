using Seamless.Application.TagAccuracy;
using Seamless.Architecture;
using Seamless.Evaluation.Fabrication;
using Seamless.Evaluation.Images;
using Seamless.Tagging.Onnx.Fabrication;

namespace Seamless.Tests.TagAccuracy;

public sealed class TaggerShelfTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _tagger;

    public TaggerShelfTests()
    {
        _tagger = _temp.File("tagger");
        TinyTaggerBuilder.Write(new TinyWorld(7, 4), _tagger);
    }

    public void Dispose() => _temp.Dispose();

    private TagAccuracyOptions Options(double? threshold = null) => new()
    {
        Backend = "a1111",
        Url = "http://127.0.0.1:9/",
        ModelsDir = _temp.Path,
        Tagger = _tagger,
        Threshold = threshold,
        Cache = "none",
    };

    private static Task<IReadOnlyList<float[]>> TagGrey(Seamless.Tagging.Onnx.OnnxTagger tagger) =>
        tagger.TagAsync([RgbaImage.Filled(16, 16, 128, 128, 128)], CancellationToken.None);

    [Fact]
    public void Tagger_SameOptionsFromManyThreads_OpensOneAndHandsOutIt()
    {
        using var shelf = new TaggerShelf();
        var taggers = Enumerable.Range(0, 8).AsParallel().Select(_ => shelf.Tagger(Options())).ToList();

        Assert.All(taggers, t => Assert.Same(taggers[0], t));
        Assert.Equal(1, shelf.Opened);
    }

    [Fact]
    public void Tagger_AnotherThreshold_OpensAnother()
    {
        using var shelf = new TaggerShelf();
        var plain = shelf.Tagger(Options());
        var strict = shelf.Tagger(Options(threshold: 0.9));

        Assert.NotSame(plain, strict);
        Assert.Equal(2, shelf.Opened);
        Assert.Same(strict, shelf.Tagger(Options(threshold: 0.9)));
    }

    [Fact]
    public async Task DisposeAsync_SessionFromTheShelf_LeavesTheTaggerToTheOthers()
    {
        using var shelf = new TaggerShelf();
        var first = EvaluationSession.Open(Options(), ModelArchitecture.SD1, [], shelf: shelf);
        var second = EvaluationSession.Open(Options(), ModelArchitecture.SD1, [], shelf: shelf);
        Assert.Same(first.Tagger, second.Tagger);

        await first.DisposeAsync();

        Assert.Single(await TagGrey(second.Tagger));
        await second.DisposeAsync();
    }

    [Fact]
    public async Task Dispose_Shelf_DisposesWhatItOpenedAndRefusesMore()
    {
        var shelf = new TaggerShelf();
        var tagger = shelf.Tagger(Options());
        Assert.Single(await TagGrey(tagger));

        shelf.Dispose();

        await Assert.ThrowsAnyAsync<ObjectDisposedException>(() => TagGrey(tagger));
        Assert.Throws<ObjectDisposedException>(() => shelf.Tagger(Options()));
    }

    [Fact]
    public async Task DisposeAsync_SessionWithoutAShelf_DisposesItsOwnTagger()
    {
        var session = EvaluationSession.Open(Options(), ModelArchitecture.SD1, []);
        var tagger = session.Tagger;

        await session.DisposeAsync();

        await Assert.ThrowsAnyAsync<ObjectDisposedException>(() => TagGrey(tagger));
    }
}
