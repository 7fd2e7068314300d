using Seamless.Search.Merges;
using Seamless.Search.Space;
using Seamless.Search.Studies;

namespace Seamless.Tests.Merges;

public sealed class MergeSearchTests
{
    // A smooth hill around x = 0.7 sampled densely, and one lucky score at x = 0.1 among poor neighbours.
    private static List<Trial> HillAndSpike()
    {
        var trials = new List<Trial>();
        for (var i = 0; i < 24; i++)
        {
            var x = i / 23.0;
            var value = Math.Abs(x - 0.1) < 1e-9 ? 0.9 : 0.8 - ((x - 0.7) * (x - 0.7));
            trials.Add(new Trial(i + 1, i, TrialState.Complete, new Dictionary<string, double> { ["x"] = x }, value, NoiseVariance: 0.02));
        }

        trials.Add(new Trial(99, 24, TrialState.Complete, new Dictionary<string, double> { ["x"] = 0.1 }, 0.95, NoiseVariance: 0.02));
        return trials;
    }

    private static StudyConfig Config => new("q", new SearchSpace([new SearchParameter("x", 0, 1)]), "gp", 30, 1);

    [Fact]
    public void BestObserved_LuckySpike_ChosenWhereRecommendedTrustsTheHill()
    {
        var trials = HillAndSpike();
        Assert.Equal(24, MergeSearch.BestObserved(Config, trials)!.Number);
        var recommended = MergeSearch.Recommended(Config, trials)!;
        Assert.NotEqual(24, recommended.Number);
        Assert.Null(MergeSearch.BestObserved(Config, [.. trials.Select(t => t with { State = TrialState.Failed })]));
    }

    [Fact]
    public void NextBase_EachRule_PicksItsTrial()
    {
        var trials = HillAndSpike();
        Assert.Equal(24, Rounds.NextBase(NextBaseRule.BestObserved, Config, trials)!.Number);
        Assert.Equal(MergeSearch.Recommended(Config, trials)!.Number, Rounds.NextBase(NextBaseRule.Recommended, Config, trials)!.Number);
        Assert.NotEqual(24, Rounds.NextBase(NextBaseRule.Recommended, Config, trials)!.Number);
    }

    [Fact]
    public void BestObserved_Minimising_TakesTheLowest()
    {
        var trials = HillAndSpike();
        Assert.Equal(0.8 - (0.7 * 0.7), MergeSearch.BestObserved(Config with { Direction = "minimize" }, trials)!.Value!.Value, 12);
    }

    private static MergeSearchConfig TwoModels(params IReadOnlyDictionary<string, double>[] probes) =>
        new("m", "s.db", "/m/a.safetensors", ["/m/b.safetensors", "/m/c.safetensors"], "weighted_sum", Seamless.Safetensors.DType.F16, Seamless.Architecture.BlockMapOptions.Default,
            [new BlockGroup("IN00", ["IN00"], 0, 1), new BlockGroup("M00", ["M00"], 0, 1)], new Dictionary<string, double>(), probes, "echo 1", null, "gp", 10, 1, "/m/w", Seamless.Architecture.ModelArchitecture.SD1);

    private static Dictionary<string, double> Point(double b, double c) => new() { ["b:IN00"] = b, ["b:M00"] = b, ["c:IN00"] = c, ["c:M00"] = c };

    [Fact]
    public void ProbesEachInput_EveryModelAloneAmongTheProbes_OnlyThen()
    {
        Assert.True(MergeSearch.ProbesEachInput(TwoModels(Point(0, 0), Point(1, 0), Point(0, 1))));
        Assert.False(MergeSearch.ProbesEachInput(TwoModels(Point(0, 0))));
        Assert.False(MergeSearch.ProbesEachInput(TwoModels(Point(0, 0), Point(1, 0))));
        Assert.False(MergeSearch.ProbesEachInput(TwoModels(Point(1, 0), Point(0, 0.9))));
        Assert.False(MergeSearch.ProbesEachInput(TwoModels(Point(1, 1))));
    }
}
