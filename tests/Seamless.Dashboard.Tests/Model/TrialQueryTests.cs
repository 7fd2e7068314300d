using Seamless.Dashboard.Live;
using Seamless.Dashboard.Model;
using Seamless.Storage.Sqlite;

namespace Seamless.Tests.Model;

public sealed class TrialQueryTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private StudySnapshot Snapshot()
    {
        var (db, _) = MergeStudy.Write(_temp.Path, 12);
        using var store = new SqliteStudyStore(db);
        var study = store.FindStudy("merge")!;
        var trials = store.Trials(study.Id);
        return new StudySnapshot(study, trials, StudyFeed.Signature(trials), DateTimeOffset.UtcNow);
    }

    [Fact]
    public void Page_ByScore_SortedAcrossPagesWithNoTrialTwice()
    {
        var snapshot = Snapshot();
        var seen = new List<TrialRow>();
        for (var page = 0; page < 3; page++)
        {
            var p = TrialQuery.Page(snapshot, "value", descending: true, null, null, page, 5);
            Assert.Equal((12, 12), (p.Total, p.Matching));
            seen.AddRange(p.Rows);
        }

        Assert.Equal(12, seen.Select(r => r.N).Distinct().Count());
        var values = seen.Select(r => r.Value ?? double.NegativeInfinity).ToList();
        Assert.Equal(values.OrderDescending(), values);
        Assert.Equal("failed", seen[^1].State);   // no score: last when largest first
        Assert.Equal(snapshot.Study.Config.Space.Dimensions, seen[0].Params.Count);
    }

    [Fact]
    public void Page_StateAndTextFilters_OnlyMatchingTrials()
    {
        var snapshot = Snapshot();
        var failed = TrialQuery.Page(snapshot, "n", true, "failed", null, 0, 100);
        Assert.Equal(5, Assert.Single(failed.Rows).N);
        Assert.Equal(1, failed.Matching);
        Assert.Equal(5, Assert.Single(TrialQuery.Page(snapshot, "n", true, null, "BACKEND DOWN", 0, 100).Rows).N);
        Assert.Equal(7, Assert.Single(TrialQuery.Page(snapshot, "n", true, null, "7", 0, 100).Rows).N);
        Assert.Equal(12, TrialQuery.Page(snapshot, "n", true, null, "gpu0", 0, 100).Matching);

        // Newest first by default; a page past the end is the last page.
        var newest = TrialQuery.Page(snapshot, "n", true, null, null, 99, 5);
        Assert.Equal(2, newest.Page);
        Assert.Equal([1, 0], newest.Rows.Select(r => r.N));
    }
}
