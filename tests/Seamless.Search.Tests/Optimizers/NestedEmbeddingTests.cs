using Seamless.Search.Optimizers;

namespace Seamless.Tests.Optimizers;

public sealed class NestedEmbeddingTests
{
    [Fact]
    public void Bins_Schedule_DoublesAfterItsShareOfEvaluationsUntilTheDimensions()
    {
        var nested = new NestedEmbedding(new RandomSearch(), initialBins: 6, evaluationsPerBin: 1.5);
        // 6 bins for 9 evaluations, 12 for 18 more, 24 for 36 more, then all 52 weights (48 bins would be mostly singletons).
        Assert.Equal([6, 6, 12, 12, 24, 24, 52], new[] { 0, 8, 9, 26, 27, 62, 63 }.Select(n => nested.Bins(52, n)));
        Assert.Equal([6, 12, 18], new[] { 0, 9, 27 }.Select(n => nested.Bins(18, n)));
        Assert.Equal(4, nested.Bins(4, 0));
    }

    [Fact]
    public void Bins_FewerDimensionsThanTheGate_TheFullSpaceFromTheStart()
    {
        var nested = new NestedEmbedding(new RandomSearch(), minDimensions: 40);
        Assert.Equal(26, nested.Bins(26, 0));
        Assert.Equal(6, nested.Bins(52, 0));
    }

    [Fact]
    public void UpDown_CoarsePoint_IsExactlyAPointOfEveryFinerLevel()
    {
        var random = new Random(3);
        var coarse = Enumerable.Range(0, 6).Select(_ => random.NextDouble()).ToArray();
        var full = NestedEmbedding.Up(coarse, 52);
        foreach (var bins in new[] { 12, 24, 52 })
        {
            Assert.Equal(full, NestedEmbedding.Up(NestedEmbedding.Down(full, bins, 52), 52));
        }

        Assert.Equal(coarse, NestedEmbedding.Down(full, 6, 52));
    }

    [Fact]
    public void Up_EvenBinsOverTwoModels_TheModelBoundaryIsABinBoundary()
    {
        // Two models × 26 blocks: no bin mixes the last block of one model with the first of the other.
        foreach (var bins in new[] { 6, 12, 24 })
        {
            var full = NestedEmbedding.Up(Enumerable.Range(0, bins).Select(j => (double)j).ToArray(), 52);
            Assert.NotEqual(full[25], full[26]);
        }
    }

    [Fact]
    public void Ask_CoarseLevel_ProposalsTiedWithinBinsAndTheInnerOptimiserSeesBinMeans()
    {
        var inner = new Recording();
        var nested = new NestedEmbedding(inner, initialBins: 4, evaluationsPerBin: 2);
        var probe = new Observation([.. Enumerable.Range(0, 8).Select(i => i < 4 ? 1.0 : 0.0)], 0.5);

        var asked = nested.Ask(8, [probe], [], 2, seed: 1);

        Assert.Equal(4, inner.Dimensions);
        Assert.Equal([1.0, 1.0, 0.0, 0.0], inner.Seen[0].Point);
        Assert.All(asked, p =>
        {
            Assert.Equal(8, p.Length);
            for (var j = 0; j < 4; j++)
            {
                Assert.Equal(p[2 * j], p[(2 * j) + 1]);
            }
        });
    }

    [Fact]
    public void Ask_PastTheLastSplit_TheInnerOptimiserGetsTheFullSpaceUntouched()
    {
        var inner = new Recording();
        var nested = new NestedEmbedding(inner, initialBins: 2, evaluationsPerBin: 1);
        var random = new Random(5);
        var completed = Enumerable.Range(0, 6).Select(_ => new Observation([.. Enumerable.Range(0, 4).Select(_ => random.NextDouble())], random.NextDouble())).ToList();

        nested.Ask(4, completed, [], 1, seed: 1);

        Assert.Equal(4, inner.Dimensions);
        Assert.Equal(completed.Select(o => o.Point), inner.Seen.Select(o => o.Point));
    }

    [Fact]
    public void DefaultOptimizer_52Weights_StartsInTiedBinsAnd26WeightsDoNot()
    {
        // The search's "gp": its design after the zeros probe ties neighbouring blocks at 52 weights, not at 26.
        static IReadOnlyList<double[]> Design(int d) => OptimizerFactory.Create("gp").Ask(d, [new Observation(new double[d], 0.5)], [], 3, seed: 4);

        Assert.All(Design(52), p => Assert.Equal(6, p.Distinct().Count()));
        Assert.All(Design(26), p => Assert.Equal(26, p.Distinct().Count()));
    }

    private sealed class Recording : IOptimizer
    {
        private readonly RandomSearch _random = new();

        public int Dimensions { get; private set; }

        public IReadOnlyList<Observation> Seen { get; private set; } = [];

        public string Name => "recording";

        public IReadOnlyList<double[]> Ask(int dimensions, IReadOnlyList<Observation> completed, IReadOnlyList<double[]> pending, int count, int seed)
        {
            (Dimensions, Seen) = (dimensions, completed);
            return _random.Ask(dimensions, completed, pending, count, seed);
        }

        public (double[] Point, double Value) Incumbent(IReadOnlyList<Observation> completed) => _random.Incumbent(completed);
    }
}
