using Seamless.Evaluation.Bench;
using Seamless.Evaluation.Protocols;
using Seamless.Evaluation.Scoring;

namespace Seamless.Tests.Bench;

public sealed class BenchTablesRimoTests
{
    private static Accuracy A(double v) => new(v, v - 0.01, v + 0.01, 100, (long)(v * 100), 100);

    private static BenchModelResult Model(string name, double overall, double people, IReadOnlyDictionary<int, Accuracy> byCount) =>
        new($"/m/{name}.safetensors", new string('0', 64), new AccuracyReport(A(overall), new Dictionary<string, Accuracy> { ["人物"] = A(people) }, []), byCount);

    [Fact]
    public void RimoMarkdown_TwoModels_TheOriginalsColumnsAverageAndDeviation()
    {
        // The original's readme: 总体 0.829 against an average of 0.603 is +37.48 %.
        var result = new BenchResult("toy", "ml-danbooru", "rimo", RimoBenchmark.Protocol, [.. RimoBenchmark.Categories, "other"],
        [
            Model("cxl", 0.829, 0.8, new Dictionary<int, Accuracy> { [2] = A(0.9), [128] = A(0.3) }),
            Model("avg", 0.377, 0.6, new Dictionary<int, Accuracy> { [2] = A(0.7), [128] = A(0.4) }),
        ]);
        var lines = BenchTables.RimoMarkdown(result).Split('\n');

        Assert.Contains("| | 艺术破格 | 人物 | 人文景观 | 构图 | 物品 | 自然 | 限制级 | 总体 |", lines);
        Assert.Contains("| cxl | - | 0.800 | - | - | - | - | - | 0.829 |", lines);
        Assert.Contains("| 平均值 (average) | - | 0.700 | - | - | - | - | - | 0.603 |", lines);
        Assert.Contains("| 总体 | 0.603 | +37.48% | -37.48% |", lines);
        Assert.Contains("| 人物 | 0.700 | +14.29% | -14.29% |", lines);
        Assert.Contains("| 2 | **0.900** | 0.700 |", lines);
        Assert.Contains("| 128 | 0.300 | **0.400** |", lines);
    }
}
