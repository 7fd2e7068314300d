using CsCheck;
using Seamless.Evaluation.Tags;

namespace Seamless.Tests.Tags;

public class TagTextTests
{
    [Theory]
    [InlineData("Long_Hair", "long hair")]
    [InlineData("  long   hair ", "long hair")]
    [InlineData("(long hair:1.2)", "long hair")]
    [InlineData("((long_hair))", "long hair")]
    [InlineData("[long hair]", "long hair")]
    [InlineData("{long hair}", "long hair")]
    [InlineData("bow_(weapon)", "bow (weapon)")]
    [InlineData("bow \\(weapon\\)", "bow (weapon)")]
    [InlineData("(bow \\(weapon\\):0.8)", "bow (weapon)")]
    [InlineData("^_^", "^_^")]
    [InlineData("o_o", "o_o")]
    [InlineData("(o)_(o)", "(o)_(o)")]
    [InlineData(":3", ":3")]
    [InlineData(":d", ":d")]
    [InlineData("", "")]
    public void Canonical_VariousSpellings_OneForm(string raw, string expected) =>
        Assert.Equal(expected, TagText.Canonical(raw));

    [Fact]
    public void ForPrompt_Parentheses_EscapedAndUnderscoresOptional()
    {
        Assert.Equal("bow \\(weapon\\)", TagText.ForPrompt("bow (weapon)", underscores: false));
        Assert.Equal("bow_\\(weapon\\)", TagText.ForPrompt("bow (weapon)", underscores: true));
        Assert.Equal("^_^", TagText.ForPrompt("^_^", underscores: false));
    }

    [Fact]
    public void SplitPrompt_EscapedCommasAndWeights_CanonicalTags()
    {
        var tags = TagText.SplitPrompt("1girl, (long_hair:1.1), bow \\(weapon\\),, ^_^ ");
        Assert.Equal(["1girl", "long hair", "bow (weapon)", "^_^"], tags);
    }

    [Fact]
    public void ForPrompt_ThenSplit_RoundTripsAnyTag()
    {
        var tag = Gen.String[Gen.Char["abcxyz()_:^0 "], 1, 12]
            .Select(TagText.Canonical)
            .Where(t => t.Length > 0 && !t.Contains(':', StringComparison.Ordinal) && t[0] is not ('(' or '[' or '{'));
        Gen.Select(tag, Gen.Bool).Sample((t, underscores) =>
        {
            var prompt = "1girl, " + TagText.ForPrompt(t, underscores);
            var back = TagText.SplitPrompt(prompt);
            Assert.Equal(["1girl", t], back);
        });
    }
}
