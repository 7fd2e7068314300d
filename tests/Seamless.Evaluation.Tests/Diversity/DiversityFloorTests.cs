using Seamless.Evaluation.Diversity;

namespace Seamless.Tests.Diversity;

public sealed class DiversityFloorTests
{
    [Theory]
    [InlineData("0.12", 0.12, false)]
    [InlineData(" .1 ", 0.1, false)]
    [InlineData("0.9x", 0.9, true)]
    [InlineData("0.9×", 0.9, true)]
    [InlineData("0.9 × base", 0.9, true)]
    [InlineData("0.9*base", 0.9, true)]
    [InlineData("0.85 base", 0.85, true)]
    [InlineData("1X", 1.0, true)]
    public void TryParse_BothForms_ReadsValueAndKind(string text, double value, bool relative)
    {
        var floor = DiversityFloor.TryParse(text, out var problem);

        Assert.Null(problem);
        Assert.Equal(new DiversityFloor(value, relative), floor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("0.9 × model")]
    [InlineData("1.5x")]
    [InlineData("0")]
    [InlineData("-0.1")]
    [InlineData("2")]
    [InlineData("0.9xx")]
    public void TryParse_Hostile_NamesTheText(string text)
    {
        Assert.Null(DiversityFloor.TryParse(text, out var problem));
        Assert.Contains($"'{text}'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_Relative_MultipliesTheBasesDiversity()
    {
        Assert.Equal(0.09, new DiversityFloor(0.9, true).Resolve(0.1), 12);
        Assert.Equal(0.2, new DiversityFloor(0.2, false).Resolve(null));
        Assert.Throws<InvalidOperationException>(() => new DiversityFloor(0.9, true).Resolve(null));
    }

    [Theory]
    [InlineData(0.5, 0.12, 0.1, 0.5)]   // above the floor: unchanged
    [InlineData(0.5, 0.1, 0.1, 0.5)]    // at the floor: unchanged
    [InlineData(0.5, 0.09, 0.1, 0.45)]  // 10 % short: 10 % less
    [InlineData(0.5, 0.0, 0.1, 0.0)]    // no variety at all: nothing
    public void Penalised_BelowTheFloor_ScalesByTheShortfall(double value, double diversity, double floor, double expected) =>
        Assert.Equal(expected, DiversityFloor.Penalised(value, diversity, floor), 12);
}
