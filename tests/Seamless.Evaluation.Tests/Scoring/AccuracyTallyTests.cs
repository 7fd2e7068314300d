using Seamless.Evaluation.Scoring;
using Seamless.Evaluation.Tags;

namespace Seamless.Tests.Scoring;

public class AccuracyTallyTests
{
    [Fact]
    public void Report_TwoPrompts_OverallAndCategoryCountsByHand()
    {
        var catalog = TagCatalog.Parse("c.json", "{\"character/hair\": [\"long hair\"], \"objects\": [\"sword\"]}");
        var tally = new AccuracyTally(catalog);

        // Prompt 0: two images × (long hair, sword, cloud); prompt 1: two images × (sword).
        tally.Add(new PromptOutcome(0, ["long hair", "sword", "cloud"], 2, [true, false, true, true, false, false]));
        tally.Add(new PromptOutcome(1, ["sword"], 2, [true, true]));
        var report = tally.Report();

        Assert.Equal(8, report.Overall.Pairs);
        Assert.Equal(5, report.Overall.Detected);
        Assert.Equal(2.0 / 2, report.Categories["character"].Value);
        Assert.Equal(2.0 / 2, report.Categories["character/hair"].Value);
        Assert.Equal(2, report.Categories["character/hair"].Pairs);
        Assert.Equal(2.0 / 4, report.Categories["objects"].Value);
        Assert.Equal(1.0 / 2, report.Categories[TagCatalog.Other].Value);
        Assert.False(report.Categories.ContainsKey("nature"));
    }

    [Fact]
    public void Add_WrongDetectionCount_Throws()
    {
        var tally = new AccuracyTally(TagCatalog.Default());
        Assert.Throws<ArgumentException>(() => tally.Add(new PromptOutcome(0, ["a", "b"], 2, [true])));
    }
}
