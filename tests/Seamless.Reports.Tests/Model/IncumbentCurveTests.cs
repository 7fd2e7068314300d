using Seamless.Reports.Model;
using Seamless.Search.Space;
using Seamless.Search.Studies;
using Seamless.Storage.Sqlite;

namespace Seamless.Tests.Model;

public sealed class IncumbentCurveTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// Scores rise smoothly with x (0.4 + 0.3x, known noise); trial <paramref name="lucky"/> sits at x = 0.1 but drew a
    /// lucky 0.95, far above its neighbours.
    /// </summary>
    private (StudyRecord, IReadOnlyList<Trial>) Study(int n, int lucky)
    {
        using var store = new SqliteStudyStore(_temp.File("s.db"));
        var space = new SearchSpace([new SearchParameter("x", 0, 1)]);
        var study = store.CreateStudy(new StudyConfig("curve", space, "gp", n, 1));
        for (var i = 0; i < n; i++)
        {
            var x = i == lucky ? 0.1 : (i * 37 % n) / (double)n;
            store.Enqueue(study.Id, new Dictionary<string, double> { ["x"] = x });
            var t = store.ClaimQueued(study.Id, "w")!;
            var value = i == lucky ? 0.95 : 0.4 + (0.3 * x);
            store.Finish(t.Id, "w", new TrialResult(TrialState.Complete, value, 4e-3, value - 0.12, value + 0.12));
        }

        return (study, store.Trials(study.Id));
    }

    [Fact]
    public void Compute_LuckyOutlier_TheCurveFollowsThePosteriorNotTheLuckyDraw()
    {
        var (study, trials) = Study(30, lucky: 4);
        var curve = IncumbentCurve.Compute(study.Config, trials);

        Assert.NotEmpty(curve);
        Assert.All(curve, p => Assert.True(p.Low <= p.Mean && p.Mean <= p.High, $"interval {p.Low}…{p.High} around {p.Mean}"));
        Assert.Equal(trials.Max(t => t.Number), curve[^1].Trial);
        Assert.Equal(30, curve[^1].Completed);

        // By the end the incumbent is a trial at high x, and the estimate is below the lucky 0.95.
        var incumbent = trials.Single(t => t.Number == curve[^1].Incumbent);
        Assert.NotEqual(4, incumbent.Number);
        Assert.True(incumbent.Parameters["x"] > 0.7, $"incumbent at x = {incumbent.Parameters["x"]}");
        Assert.InRange(curve[^1].Mean, 0.55, 0.8);
    }

    [Fact]
    public void Compute_LongStudy_AtMostMaxPointsInTrialOrder()
    {
        var (study, trials) = Study(150, lucky: 10);
        var curve = IncumbentCurve.Compute(study.Config, trials);
        Assert.InRange(curve.Count, 2, IncumbentCurve.MaxPoints);
        Assert.True(curve.Zip(curve.Skip(1)).All(p => p.Second.Trial > p.First.Trial && p.Second.Completed > p.First.Completed));
    }

    [Fact]
    public void Compute_TwoTrials_Empty()
    {
        var (study, trials) = Study(2, lucky: 5);
        Assert.Empty(IncumbentCurve.Compute(study.Config, trials));
    }
}
