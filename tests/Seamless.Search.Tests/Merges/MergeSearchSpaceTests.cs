using Seamless.Architecture;
using Seamless.Safetensors;
using Seamless.Search.Merges;

namespace Seamless.Tests.Merges;

public sealed class MergeSearchSpaceTests
{
    private static MergeSearchConfig Config(bool constrained, Dictionary<string, double>? fixedValues = null) => new(
        "s", "s.db", "/m/a.safetensors", ["/m/b.safetensors", "/m/c.safetensors", "/m/d.safetensors"], "weighted_sum", DType.F16, BlockMapOptions.Default,
        [new BlockGroup("IN00-IN03", ["IN00", "IN01", "IN02", "IN03"], 0, 0.9), new BlockGroup("M00", ["M00"], -0.2, 0.9)],
        fixedValues ?? [], [], "true", null, "gp", 10, 1, "/m/work", ModelArchitecture.SD1, constrained);

    [Fact]
    public void Build_OneParameterPerModelPerGroup_FixedOnesLeftOut()
    {
        var space = MergeSearchSpace.Build(Config(false, new() { ["d:M00"] = 0.1 }));
        Assert.Equal(["b:IN00-IN03", "b:M00", "c:IN00-IN03", "c:M00", "d:IN00-IN03"], space.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void Recipe_GroupWeightsApplyToEveryBlockOfTheGroup_OthersZero()
    {
        var config = Config(false, new() { ["d:M00"] = 0.1 });
        var parameters = MergeSearchSpace.Build(config).Parameters.ToDictionary(p => p.Name, p => 0.3);
        var recipe = MergeSearchSpace.Recipe(config, parameters);
        var w = recipe.Models[2].Weights.Resolve(BlockMap.LayoutOf(ModelArchitecture.SD1), new List<string>())!;
        Assert.Equal(0.3, w["IN02"]);
        Assert.Equal(0.1, w["M00"]);
        Assert.Equal(0, w["OUT05"]);
    }

    [Fact]
    public void Repair_SumAboveOne_ScaledToOneIncludingFixed()
    {
        var config = Config(true, new() { ["d:M00"] = 0.4 });
        var p = new Dictionary<string, double> { ["b:IN00-IN03"] = 0.9, ["c:IN00-IN03"] = 0.6, ["d:IN00-IN03"] = 0.3, ["b:M00"] = 0.5, ["c:M00"] = 0.5 };
        var r = MergeSearchSpace.Repair(config, p);
        Assert.Equal(1, r["b:IN00-IN03"] + r["c:IN00-IN03"] + r["d:IN00-IN03"], 12);
        Assert.Equal(0.5, r["b:IN00-IN03"], 12);
        Assert.Equal(1, r["b:M00"] + r["c:M00"] + 0.4, 12);
    }

    [Fact]
    public void Repair_Unconstrained_OrFeasible_Unchanged()
    {
        var p = new Dictionary<string, double> { ["b:IN00-IN03"] = 0.9, ["c:IN00-IN03"] = 0.6, ["d:IN00-IN03"] = 0.3, ["b:M00"] = 0.1, ["c:M00"] = 0.1, ["d:M00"] = 0.1 };
        Assert.Same(p, MergeSearchSpace.Repair(Config(false), p));
        Assert.Equal(0.1, MergeSearchSpace.Repair(Config(true), p)["b:M00"]);
    }
}
