namespace Seamless.Search.Optimizers;

/// <summary>
/// Squared coordinate differences (xᵢₐ − xⱼₐ)² of every pair i &gt; j, computed once per GP fit: they do not depend on
/// the hyperparameters, so each likelihood evaluation only weighs them by 1/ℓₐ².
/// </summary>
internal sealed class PairDifferences
{
    private readonly double[] _squares;
    private readonly int _dimensions;
    private double[]? _absolute;

    public PairDifferences(double[][] x)
    {
        Count = x.Length;
        _dimensions = x[0].Length;
        _squares = new double[Count * (Count - 1) / 2 * _dimensions];
        var offset = 0;
        for (var i = 0; i < Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                for (var a = 0; a < _dimensions; a++)
                {
                    var delta = x[i][a] - x[j][a];
                    _squares[offset++] = delta * delta;
                }
            }
        }
    }

    public int Count { get; }

    public int Dimensions => _dimensions;

    /// <summary>(1/d)·Σₐ k₅/₂(|Δₐ|·λₐ⁻¹) for one pair: the additive kernel with unit variance.</summary>
    public double AdditiveMean(int pair, double[] inverseLengthScales) =>
        AdditiveKernel.Mean(AbsoluteDifferences(pair), inverseLengthScales, null, 0, null);

    /// <summary>
    /// The additive kernel of one pair (as <see cref="AdditiveMean"/>) and, added into <paramref name="accumulator"/>,
    /// factor·∂/∂log λₐ of each term: factor·(5/3)(1 + √5rₐ)e^(−√5rₐ)·rₐ².
    /// </summary>
    public double AdditiveMeanWithGradient(int pair, double[] inverseLengthScales, double factor, double[] accumulator) =>
        AdditiveKernel.Mean(AbsoluteDifferences(pair), inverseLengthScales, accumulator, factor, null);

    private ReadOnlySpan<double> AbsoluteDifferences(int pair)
    {
        _absolute ??= Sqrt(_squares);
        return _absolute.AsSpan(pair * _dimensions, _dimensions);
    }

    private static double[] Sqrt(double[] squares)
    {
        var result = new double[squares.Length];
        System.Numerics.Tensors.TensorPrimitives.Sqrt(squares, result);
        return result;
    }

    public double ScaledDistanceSquared(int pair, double[] inverseSquaredLengthScales) =>
        System.Numerics.Tensors.TensorPrimitives.Dot(_squares.AsSpan(pair * _dimensions, _dimensions), inverseSquaredLengthScales);

    /// <summary>accumulator += factor · squares(pair).</summary>
    public void AddScaled(int pair, double factor, double[] accumulator) =>
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(_squares.AsSpan(pair * _dimensions, _dimensions), factor, accumulator, accumulator);
}
