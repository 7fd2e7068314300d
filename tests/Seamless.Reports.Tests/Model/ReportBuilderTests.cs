using Seamless.Reports.Model;
using Seamless.Search.Space;
using Seamless.Search.Studies;
using Seamless.Storage.Sqlite;

namespace Seamless.Tests.Model;

public sealed class ReportBuilderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// A recorded study: trial 0 at all zeros (the base), then trials whose score rises with x and ignores y, one
    /// failure and one cheap (fidelity 0.25) trial; every complete trial carries per-category values.
    /// </summary>
    internal static (StudyRecord Study, IReadOnlyList<Trial> Trials) Recorded(string path, int n = 12)
    {
        using var store = new SqliteStudyStore(path);
        var space = new SearchSpace([new SearchParameter("x", 0, 1), new SearchParameter("y", 0, 1)]);
        var study = store.CreateStudy(new StudyConfig("recorded", space, "gp", n, 1));
        for (var i = 0; i < n; i++)
        {
            var x = i == 0 ? 0 : (i * 37 % 11) / 10.0;
            var y = i == 0 ? 0 : (i * 53 % 7) / 6.0;
            var fidelity = i == 5 ? 0.25 : 1;
            store.Enqueue(study.Id, new Dictionary<string, double> { ["x"] = x, ["y"] = y }, fidelity);
            var t = store.ClaimQueued(study.Id, "w")!;
            var value = 0.4 + (0.3 * x);
            var result = i == 7
                ? new TrialResult(TrialState.Failed, Error: "backend down")
                : new TrialResult(TrialState.Complete, value, 1e-4, value - 0.02, value + 0.02, new Dictionary<string, double> { ["character"] = value + 0.05, ["nature"] = value - 0.1 });
            store.Finish(t.Id, "w", result);
        }

        return (study, store.Trials(study.Id));
    }

    [Fact]
    public void Build_RecordedStudy_SeriesRecommendationAndCategoryTableFromTheStudy()
    {
        var (study, trials) = Recorded(_temp.File("s.db"));
        var data = ReportBuilder.Build(study, trials, "s.db", DateTimeOffset.UnixEpoch);

        Assert.Equal(11, data.Series.Count);
        Assert.Equal(1, data.Failed);
        Assert.Equal(12, data.Trials.Count);
        Assert.Equal(trials.Where(t => t.State == TrialState.Complete).Select(t => t.Value!.Value), data.Series.Select(p => p.Value));

        // Best-so-far ignores the cheap trial and never decreases.
        var full = trials.Where(t => t.State == TrialState.Complete && t.Fidelity >= 1).ToList();
        Assert.Equal(full.Max(t => t.Value!.Value), data.Series[^1].BestSoFar);
        Assert.True(data.Series.Where(p => p.Fidelity >= 1).Zip(data.Series.Where(p => p.Fidelity >= 1).Skip(1)).All(p => p.Second.BestSoFar >= p.First.BestSoFar));

        var best = full.OrderByDescending(t => t.Value).First();
        Assert.Equal(best.Number, data.Recommended!.Number);

        // The category table: the recommended trial against the base (trial 0), numbers as stored.
        var baseTrial = trials[0];
        var character = data.Categories.Single(r => r.Category == "character");
        Assert.Equal(best.Categories!["character"], character.Best);
        Assert.Equal(baseTrial.Categories!["character"], character.References[0]);
        Assert.Equal(100 * (best.Categories!["character"] - baseTrial.Categories!["character"]) / baseTrial.Categories!["character"], character.DeltaPercent!.Value, 9);
        Assert.Equal(["overall", "character", "nature"], data.Categories.Select(r => r.Category));
    }

    [Fact]
    public void Build_ScoreDependsOnXOnly_XRanksFirstInSensitivity()
    {
        var (study, trials) = Recorded(_temp.File("s.db"));
        var data = ReportBuilder.Build(study, trials, "s.db", DateTimeOffset.UnixEpoch);
        Assert.Equal("x", data.Sensitivity[0].Parameter);
        Assert.Equal(1, data.Sensitivity[0].Importance, 9);
        Assert.True(data.Sensitivity[1].Importance < 1);
    }

    [Fact]
    public void Ranks_Ties_ShareTheMeanRank() =>
        Assert.Equal([0.5, 0.5, 2, 3.5, 3.5], ReportBuilder.Ranks([1, 1, 2, 3, 3]));
}
