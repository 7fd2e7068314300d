using Seamless.Evaluation.Diversity;

namespace Seamless.Tests.Diversity;

public sealed class DiversityTallyTests
{
    [Fact]
    public void Value_IdenticalImages_IsZero()
    {
        var tally = new DiversityTally();
        tally.Add([[1f, 2f, 3f], [2f, 4f, 6f], [0.5f, 1f, 1.5f]]);

        Assert.Equal(2, tally.Pairs);
        Assert.Equal(0, tally.Value!.Value, 12);
    }

    [Fact]
    public void Value_OrthogonalThenOpposite_PoolsPairsAcrossPrompts()
    {
        var tally = new DiversityTally();
        tally.Add([[1f, 0f], [0f, 1f]]);  // similarity 0
        tally.Add([[1f, 1f], [-1f, -1f]]); // similarity −1

        Assert.Equal(2, tally.Pairs);
        Assert.Equal(1 - (-1.0 / 2), tally.Value!.Value, 12);
    }

    [Fact]
    public void Value_OneImagePerPrompt_IsNull()
    {
        var tally = new DiversityTally();
        tally.Add([[1f, 0f]]);

        Assert.Equal(0, tally.Pairs);
        Assert.Null(tally.Value);
    }

    [Fact]
    public void Cosine_DifferentLengths_Throws() =>
        Assert.Throws<ArgumentException>(() => DiversityTally.Cosine([1f, 2f], [1f]));

    [Fact]
    public void Cosine_ZeroVector_IsZero() => Assert.Equal(0, DiversityTally.Cosine([0f, 0f], [1f, 2f]));
}
