using Seamless.Dashboard.Live;
using Seamless.Search.Studies;
using Seamless.Storage.Sqlite;

namespace Seamless.Tests.Live;

public sealed class StudyFeedTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Poll_AnotherConnectionFinishesATrial_ToldWhichStudyChanged()
    {
        var (db, _) = MergeStudy.Write(_temp.Path, 4);
        using var reading = new SqliteStudyStore(db);
        using var feed = new StudyFeed(reading, TimeSpan.FromHours(1));
        feed.Poll();
        var told = new List<IReadOnlyList<string>>();
        feed.Changed += told.Add;
        feed.Poll();
        Assert.Empty(told);

        // A second connection (as a search process would) finishes one more trial.
        using (var writing = new SqliteStudyStore(db))
        {
            var study = writing.FindStudy("merge")!;
            MergeStudy.Finish(writing, study, study.Config.Space.Parameters.Select(p => p.Name).ToList(), 4);
        }

        feed.Poll();
        Assert.Equal(["merge"], Assert.Single(told));
        Assert.Equal(5, feed.Snapshots["merge"].Trials.Count);
    }

    [Fact]
    public void Signature_HeartbeatOrStateMoves_Changes()
    {
        var t = new Trial(1, 0, TrialState.Running, new Dictionary<string, double>(), Worker: "w", Heartbeat: DateTimeOffset.UnixEpoch);
        var same = StudyFeed.Signature([t]);
        Assert.Equal(same, StudyFeed.Signature([t with { }]));
        Assert.NotEqual(same, StudyFeed.Signature([t with { Heartbeat = DateTimeOffset.UnixEpoch.AddSeconds(5) }]));
        Assert.NotEqual(same, StudyFeed.Signature([t with { State = TrialState.Complete, Value = 0.5 }]));
        Assert.NotEqual(same, StudyFeed.Signature([t, t with { Id = 2, Number = 1 }]));
    }

    [Fact]
    public void Poll_StoreFails_KeepsTheLastSnapshotAndSaysWhy()
    {
        var (db, _) = MergeStudy.Write(_temp.Path, 3);
        var store = new SqliteStudyStore(db);
        using var feed = new StudyFeed(store, TimeSpan.FromHours(1));
        feed.Poll();
        store.Dispose();
        feed.Poll();
        Assert.NotNull(feed.LastError);
        Assert.Equal(3, feed.Snapshots["merge"].Trials.Count);
    }
}
