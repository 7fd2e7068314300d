using System.Text.Json;
using Seamless.Dashboard.Live;
using Seamless.Dashboard.Model;
using Seamless.Storage.Sqlite;

namespace Seamless.Tests.Model;

public sealed class StudyViewCacheTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static int Trials(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("summary").GetProperty("trials").GetInt32();
    }

    [Fact]
    public async Task ViewAsync_OpenedStudyChanges_RebuiltInTheBackgroundThenPagesAreTold()
    {
        var (db, _) = MergeStudy.Write(_temp.Path, 6);
        using var reading = new SqliteStudyStore(db);
        using var feed = new StudyFeed(reading, TimeSpan.FromHours(1));
        var broadcast = new ChangeBroadcast();
        using var cache = new StudyViewCache(feed, db, broadcast);
        feed.Poll();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = broadcast.Subscribe(cancel.Token);

        var first = (await cache.ViewAsync("merge", cancel.Token))!;
        Assert.Equal(6, Trials(first));
        Assert.Same(first, await cache.ViewAsync("merge", cancel.Token));

        using (var writing = new SqliteStudyStore(db))
        {
            var study = writing.FindStudy("merge")!;
            MergeStudy.Finish(writing, study, study.Config.Space.Parameters.Select(p => p.Name).ToList(), 6);
        }

        feed.Poll();
        Assert.Equal(ChangeBroadcast.ListMessage, await events.ReadAsync(cancel.Token));

        // Pages hear of the study only once its new view is built, so the fetch they then make finds it.
        Assert.Equal("study:merge", await events.ReadAsync(cancel.Token));
        Assert.Equal(7, Trials((await cache.ViewAsync("merge", cancel.Token))!));
        Assert.Null(await cache.ViewAsync("nope", cancel.Token));
    }

    [Fact]
    public async Task ViewAsync_UnopenedStudyChanges_PagesToldAtOnceAndItsFirstViewIsFresh()
    {
        var (db, _) = MergeStudy.Write(_temp.Path, 3);
        using var reading = new SqliteStudyStore(db);
        using var feed = new StudyFeed(reading, TimeSpan.FromHours(1));
        var broadcast = new ChangeBroadcast();
        using var cache = new StudyViewCache(feed, db, broadcast);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = broadcast.Subscribe(cancel.Token);
        feed.Poll();
        Assert.Equal(ChangeBroadcast.ListMessage, await events.ReadAsync(cancel.Token));
        Assert.Equal("study:merge", await events.ReadAsync(cancel.Token));
        Assert.Equal(3, Trials((await cache.ViewAsync("merge", cancel.Token))!));
    }

    [Fact]
    public async Task Prebuild_BeforeAnyRequest_ViewBuiltAndPagesTold()
    {
        var (db, _) = MergeStudy.Write(_temp.Path, 4);
        using var reading = new SqliteStudyStore(db);
        using var feed = new StudyFeed(reading, TimeSpan.FromHours(1));
        feed.Poll();
        var broadcast = new ChangeBroadcast();
        using var cache = new StudyViewCache(feed, db, broadcast);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = broadcast.Subscribe(cancel.Token);
        cache.Prebuild(["merge"]);
        Assert.Equal("study:merge", await events.ReadAsync(cancel.Token));
        var view = (await cache.ViewAsync("merge", cancel.Token))!;
        Assert.Equal(4, Trials(view));
        Assert.Same(view, await cache.ViewAsync("merge", cancel.Token));
    }
}
