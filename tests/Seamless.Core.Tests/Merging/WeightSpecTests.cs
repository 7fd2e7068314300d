using Seamless.Architecture;
using Seamless.Merging;

namespace Seamless.Tests.Merging;

public sealed class WeightSpecTests
{
    private static readonly BlockLayout Sd1 = BlockMap.LayoutOf(ModelArchitecture.SD1);
    private static readonly BlockLayout Sdxl = BlockMap.LayoutOf(ModelArchitecture.SDXL);

    private static BlockWeights Resolve(string text, BlockLayout layout, double? baseAlpha = null)
    {
        var problems = new List<string>();
        var spec = WeightSpec.Parse(text, baseAlpha, problems);
        var weights = spec.Resolve(layout, problems);
        Assert.Empty(problems);
        return weights!;
    }

    private static List<string> Problems(string text, BlockLayout layout, double? baseAlpha = null)
    {
        var problems = new List<string>();
        WeightSpec.Parse(text, baseAlpha, problems).Resolve(layout, problems);
        return problems;
    }

    private static string Numbers(int count) => string.Join(",", Enumerable.Range(0, count).Select(i => (i / 100.0).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Resolve_Supermerger26OnSd1_BaseFirstInOrder()
    {
        var w = Resolve(Numbers(26), Sd1);
        Assert.Equal(0, w["BASE"]);
        Assert.Equal(0.01, w["IN00"]);
        Assert.Equal(0.12, w["IN11"]);
        Assert.Equal(0.13, w["M00"]);
        Assert.Equal(0.25, w["OUT11"]);
        Assert.Equal(Numbers(26), w.ToSupermerger());
    }

    [Fact]
    public void Resolve_Supermerger26OnSdxl_DropsIn09To11AndOut09To11()
    {
        var w = Resolve(Numbers(26), Sdxl);
        Assert.Equal(0.09, w["IN08"]);
        Assert.Equal(0.13, w["M00"]);
        Assert.Equal(0.14, w["OUT00"]);
        Assert.Equal(0.22, w["OUT08"]);
        Assert.Equal(20, w.Values.Count);
    }

    [Fact]
    public void Resolve_Supermerger20OnSdxl_RoundTrips() => Assert.Equal(Numbers(20), Resolve(Numbers(20), Sdxl).ToSupermerger());

    [Fact]
    public void Resolve_SdMeh25WithBaseAlpha_BaseFromAlpha()
    {
        var w = Resolve(Numbers(25), Sd1, baseAlpha: 0.5);
        Assert.Equal(0.5, w["BASE"]);
        Assert.Equal(0, w["IN00"]);
        Assert.Equal(0.24, w["OUT11"]);
        var (alpha, rest) = w.ToSdMeh();
        Assert.Equal(0.5, alpha);
        Assert.Equal(Numbers(25), rest);
    }

    [Fact]
    public void Resolve_SdMeh25WithoutBaseAlpha_ExplainsTheFormat() =>
        Assert.Contains("base_alpha", Assert.Single(Problems(Numbers(25), Sd1)), StringComparison.Ordinal);

    [Fact]
    public void Resolve_WrongCount_SaysWhatFits() =>
        Assert.Contains("26", Assert.Single(Problems(Numbers(7), Sd1)), StringComparison.Ordinal);

    [Fact]
    public void Resolve_Uniform_AllBlocks()
    {
        var w = Resolve("0.3", Sd1);
        Assert.All(w.Values, v => Assert.Equal(0.3, v));
    }

    [Fact]
    public void Resolve_NamedMap_SinglesBeatRangesBeatDefault()
    {
        var w = Resolve("default=0.05, IN04-IN08=0.2, IN06=0.9, M00:-0.1", Sd1);
        Assert.Equal(0.05, w["BASE"]);
        Assert.Equal(0.05, w["IN03"]);
        Assert.Equal(0.2, w["IN04"]);
        Assert.Equal(0.9, w["IN06"]);
        Assert.Equal(0.2, w["IN08"]);
        Assert.Equal(-0.1, w["M00"]);
        Assert.Equal(0.05, w["OUT11"]);
    }

    [Fact]
    public void Resolve_VaeOwnBlock_FollowsBaseUnlessNamed()
    {
        var layout = BlockMap.LayoutOf(ModelArchitecture.SD1, new BlockMapOptions(Vae: VaeRule.Own));
        Assert.Equal(0.4, Resolve("BASE=0.4", layout)["VAE"]);
        Assert.Equal(0.1, Resolve("BASE=0.4, VAE=0.1", layout)["VAE"]);
        Assert.Equal(0.4, Resolve("0.4", layout)["VAE"]);
    }

    [Fact]
    public void Resolve_SplitMiddle_M01FollowsM00UnlessNamedOrInARange()
    {
        var layout = BlockMap.LayoutOf(ModelArchitecture.SD1, new BlockMapOptions(Middle: MiddleRule.Split));
        Assert.Equal(27, layout.Blocks.Count);
        Assert.Equal("M01", layout.Blocks[layout.IndexOf("M00") + 1]);
        Assert.Equal(0.3, Resolve("M00=0.3", layout)["M01"]);
        Assert.Equal(0.1, Resolve("M00=0.3, M01=0.1", layout)["M01"]);
        Assert.Equal(0.2, Resolve("IN10-OUT01=0.2, M00=0.3", layout)["M01"]);
        Assert.Equal(0.0, Resolve("M01=0", layout)["M01"]);

        // A supermerger string has no M01: it follows M00, and the string round-trips.
        var fromString = Resolve(Numbers(26), layout);
        Assert.Equal(fromString["M00"], fromString["M01"]);
        Assert.Equal(Numbers(26), fromString.ToSupermerger());
        Assert.Contains(Problems("M01=0.1", Sd1), p => p.Contains("unknown block 'M01'", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_BadNames_ReportsEveryProblem()
    {
        var problems = Problems("IN12=0.1, OUT03-IN02=0.2, XYZ=1, M00=0.1, mid=0.2", Sd1);
        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("IN12", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("OUT03-IN02", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("XYZ", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("twice", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_NonNumbers_Reported() => Assert.Contains(Problems("0.1,abc", Sd1), p => p.Contains("'abc'", StringComparison.Ordinal));

    [Theory]
    [InlineData(0.5301561200986205, "0.5302")]
    [InlineData(-0.0000412, "0")]
    [InlineData(1, "1")]
    [InlineData(-0.12345, "-0.1235")]
    [InlineData(0.00006339566718620559, "0.0001")]
    public void FormatRounded_FourDecimals_NoExponentNoTrailingZeros(double value, string expected) =>
        Assert.Equal(expected, BlockWeights.FormatRounded(value, 4));
}
