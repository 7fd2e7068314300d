using Seamless.Search.Optimizers;

namespace Seamless.Tests.Optimizers;

public sealed class DimensionSplitTests
{
    [Fact]
    public void Ask_BelowAndFromTheThreshold_EachSideAskedForItsOwnSpaces()
    {
        var (below, from) = (new Counting(), new Counting());
        var split = new DimensionSplit(below, from, threshold: 40);
        split.Ask(39, [], [], 1, seed: 1);
        split.Ask(26, [], [], 2, seed: 1);
        split.Ask(40, [], [], 1, seed: 1);
        Assert.Equal([39, 26], below.Asked);
        Assert.Equal([40], from.Asked);
    }

    [Fact]
    public void Incumbent_ObservationsOfEitherSize_FromTheSideThatSearchedThem()
    {
        var (below, from) = (new Counting(), new Counting());
        var split = new DimensionSplit(below, from, threshold: 40);
        split.Incumbent([new Observation(new double[52], 0.5)]);
        split.Incumbent([new Observation(new double[18], 0.5)]);
        split.Incumbent([]);
        Assert.Equal(1, from.Incumbents);
        Assert.Equal(2, below.Incumbents);
    }

    private sealed class Counting : IOptimizer
    {
        private readonly RandomSearch _random = new();

        public List<int> Asked { get; } = [];

        public int Incumbents { get; private set; }

        public string Name => "counting";

        public IReadOnlyList<double[]> Ask(int dimensions, IReadOnlyList<Observation> completed, IReadOnlyList<double[]> pending, int count, int seed)
        {
            Asked.Add(dimensions);
            return _random.Ask(dimensions, completed, pending, count, seed);
        }

        public (double[] Point, double Value) Incumbent(IReadOnlyList<Observation> completed)
        {
            Incumbents++;
            return completed.Count == 0 ? ([], 0) : _random.Incumbent(completed);
        }
    }
}
