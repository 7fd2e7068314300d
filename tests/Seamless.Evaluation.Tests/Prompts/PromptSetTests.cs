using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Prompts;
using Seamless.Evaluation.Tags;

namespace Seamless.Tests.Prompts;

public class PromptSetTests
{
    internal static TaggerLabels Labels(int general = 300)
    {
        var list = new List<TaggerLabel>
        {
            new(0, "general", TagKind.Rating, 9_000_000),
            new(1, "1girl", TagKind.General, 8_000_000),
            new(2, "lowres", TagKind.General, 7_000_000),
            new(3, "hatsune miku", TagKind.Character, 6_000_000),
        };
        for (var i = 0; i < general; i++)
        {
            list.Add(new TaggerLabel(list.Count, $"tag {i:000}", TagKind.General, 1000 - i));
        }

        return new TaggerLabels(list);
    }

    [Fact]
    public void FromLabels_ExcludesRatingCharacterPrefixAndNegative_OrdersByCount()
    {
        var pool = TagPool.FromLabels(Labels(), new PromptProtocol { PoolSize = 10, TagsPerPrompt = 4 });
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"tag {i:000}"), pool.Tags);
    }

    [Fact]
    public void FromLabels_PoolSmallerThanTagsPerPrompt_ProtocolInvalid()
    {
        var ex = Assert.Throws<EvaluationException>(() => TagPool.FromLabels(Labels(5), new PromptProtocol { TagsPerPrompt = 32 }));
        Assert.Equal(EvaluationError.ProtocolInvalid, ex.Reason);
        Assert.Contains("--tags-per-prompt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromList_TagTheTaggerCannotSee_ProtocolInvalidNamingIt()
    {
        var ex = Assert.Throws<EvaluationException>(() => TagPool.FromList(["tag 001", "not a label"], Labels(), new PromptProtocol { TagsPerPrompt = 1 }, "pool.txt"));
        Assert.Contains("not a label", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("pool.txt: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_SameProtocol_SamePromptsAndSeeds()
    {
        var protocol = new PromptProtocol { Prompts = 20 };
        var a = PromptSet.Search(TagPool.FromLabels(Labels(), protocol), protocol);
        var b = PromptSet.Search(TagPool.FromLabels(Labels(), protocol), protocol);
        Assert.Equal(a.Prompts.Select(p => (p.Text, p.Seed)), b.Prompts.Select(p => (p.Text, p.Seed)));
    }

    [Fact]
    public void Search_Prompts_DistinctTagsPrefixFirstSeedsInRange()
    {
        var protocol = new PromptProtocol { Prompts = 50, TagsPerPrompt = 32 };
        var set = PromptSet.Search(TagPool.FromLabels(Labels(), protocol), protocol);
        Assert.Equal(50, set.Prompts.Count);
        foreach (var p in set.Prompts)
        {
            Assert.Equal(32, p.Tags.Distinct().Count());
            Assert.StartsWith("1girl, tag ", p.Text, StringComparison.Ordinal);
            Assert.InRange(p.Seed, 0, int.MaxValue);
            Assert.Equal(p.Tags, TagText.SplitPrompt(p.Text).Skip(1));
        }

        Assert.True(set.Prompts.Select(p => p.Seed).Distinct().Count() > 45);
    }

    [Fact]
    public void Search_PinnedDraw_SameOnEveryPlatform()
    {
        // Pinned when the sampler was written (SplitMix64 + partial Fisher–Yates, integer arithmetic only): a
        // change here changes every study's prompts, so it must be deliberate.
        var protocol = new PromptProtocol { Prompts = 2, TagsPerPrompt = 4, Seed = 7 };
        var set = PromptSet.Search(TagPool.FromLabels(Labels(), protocol), protocol);
        var actual = string.Join(" | ", set.Prompts.Select(p => $"{p.Seed}: {p.Text}"));
        Assert.Equal(PinnedDraw, actual);
    }

    internal const string PinnedDraw = "350704213: 1girl, tag 193, tag 065, tag 063, tag 083 | 1213328368: 1girl, tag 234, tag 291, tag 266, tag 236";

    [Fact]
    public void HeldOut_DiffersFromSearch()
    {
        var protocol = new PromptProtocol { Prompts = 8, HeldOutPrompts = 8 };
        var pool = TagPool.FromLabels(Labels(), protocol);
        var search = PromptSet.Search(pool, protocol).Prompts.Select(p => p.Text).ToHashSet();
        Assert.DoesNotContain(PromptSet.HeldOut(pool, protocol).Prompts, p => search.Contains(p.Text));
    }

    [Theory]
    [InlineData(1.0, 80)]
    [InlineData(0.25, 20)]
    [InlineData(0.01, 1)]
    [InlineData(0.3, 24)]
    public void Take_Fidelity_PrefixOfTheFullSet(double fidelity, int expected)
    {
        var protocol = new PromptProtocol();
        var set = PromptSet.Search(TagPool.FromLabels(Labels(), protocol), protocol);
        var taken = set.Take(fidelity);
        Assert.Equal(expected, taken.Count);
        Assert.Equal(set.Prompts.Take(expected), taken);
    }

    [Fact]
    public void Underscores_WrittenIntoPromptText()
    {
        var protocol = new PromptProtocol { Prompts = 1, TagsPerPrompt = 3, Underscores = true };
        var p = PromptSet.Search(TagPool.FromLabels(Labels(), protocol), protocol).Prompts[0];
        Assert.Contains("tag_", p.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_InvalidProtocol_AllReportedAtOnce()
    {
        var problems = new PromptProtocol { Prompts = 0, Width = 500, Steps = -1 }.Problems();
        Assert.Equal(3, problems.Count);
    }
}
