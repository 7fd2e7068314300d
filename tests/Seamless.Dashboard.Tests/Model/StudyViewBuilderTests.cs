using Seamless.Dashboard.Live;
using Seamless.Dashboard.Model;
using Seamless.Search.Merges;
using Seamless.Storage.Sqlite;

namespace Seamless.Tests.Model;

public sealed class StudyViewBuilderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private StudySnapshot Snapshot(int n = 12)
    {
        var (db, _) = MergeStudy.Write(_temp.Path, n);
        using var store = new SqliteStudyStore(db);
        var study = store.FindStudy("merge")!;
        var trials = store.Trials(study.Id);
        return new StudySnapshot(study, trials, StudyFeed.Signature(trials), DateTimeOffset.UtcNow);
    }

    [Fact]
    public void View_RecordedMergeStudy_TrialsChartsExportAndSamplesOfTheRecommendation()
    {
        var snapshot = Snapshot();
        var view = StudyViewBuilder.View(snapshot, new Dictionary<string, StudySnapshot> { ["merge"] = snapshot }, "s.db", DateTimeOffset.UtcNow);
        var recommended = MergeSearch.Recommended(snapshot.Study.Config, snapshot.Trials)!;

        Assert.Equal(12, view.Summary.Trials);
        Assert.Equal(snapshot.Study.Config.Space.Dimensions, view.Parameters.Count);
        Assert.Equal(recommended.Number, view.Recommended!.Trial);
        Assert.Equal(["recipe", "scores", "sensitivity"], view.Charts.Keys.Order());
        Assert.Contains("data-points=\"11\"", view.Charts["scores"], StringComparison.Ordinal);
        Assert.Equal(recommended.Number, view.Export!.Trial);
        Assert.Contains("good-model.safetensors", view.Export.Yaml, StringComparison.Ordinal);
        Assert.Equal(2, view.Export.Supermerger.Count);
        Assert.Equal(26, view.Export.Supermerger[0].Weights.Split(',').Length);

        // Samples: the base (trial 0) beside the recommendation, prompt by prompt, with found flags as kept.
        var samples = view.Samples!;
        Assert.Equal((0, recommended.Number), (samples.Left, samples.Right));
        Assert.Equal(2, samples.Prompts.Count);
        Assert.Equal([true, false], samples.Prompts[0].Left!.Found);
        Assert.EndsWith($"/trials/{recommended.Number}/samples/p1.jpg", samples.Prompts[1].Right!.Url, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_RunningTrial_WorkerHeartbeatAndEta()
    {
        var (db, _) = MergeStudy.Write(_temp.Path, 6);
        using var store = new SqliteStudyStore(db);
        var study = store.FindStudy("merge")!;
        store.Enqueue(study.Id, study.Config.Space.Parameters.ToDictionary(p => p.Name, _ => 0.1));
        store.ClaimQueued(study.Id, "gpu1");
        var trials = store.Trials(study.Id);
        var summary = StudyViewBuilder.Summary(new StudySnapshot(study, trials, "x", DateTimeOffset.UtcNow), DateTimeOffset.UtcNow);

        var worker = Assert.Single(summary.Workers);
        Assert.Equal(("gpu1", 6), (worker.Worker, worker.Trial));
        Assert.InRange(worker.HeartbeatAgeSeconds!.Value, 0, 60);
        Assert.Equal((1, 5, 1), (summary.Counts.Running, summary.Counts.Complete, summary.Counts.Failed));
        Assert.NotNull(summary.EtaSeconds);
        Assert.Equal(["good-model.safetensors", MergeStudy.HostileModel], summary.Models);
    }

    [Fact]
    public void Recipe_TrialMinusItself_AllZeroAndNoExport()
    {
        var snapshot = Snapshot();
        var (svg, export) = StudyViewBuilder.Recipe(snapshot, 3, 3, "s.db")!.Value;
        Assert.Null(export);
        Assert.DoesNotContain("fill=\"rgb(", svg.Replace("fill=\"rgb(255,255,255)\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Null(StudyViewBuilder.Recipe(snapshot, 3, 99, "s.db"));
        var (one, oneExport) = StudyViewBuilder.Recipe(snapshot, 3, null, "s.db")!.Value;
        Assert.Contains("trial 3", one, StringComparison.Ordinal);
        Assert.Equal(3, oneExport!.Trial);
    }
}
