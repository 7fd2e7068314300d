namespace Seamless.Search.Optimizers;

/// <summary>
/// Squared coordinate differences (xᵢₐ − xⱼₐ)² of every pair i &gt; j, computed once per GP fit: they do not depend on
/// the hyperparameters, so each likelihood evaluation only weighs them by 1/ℓₐ².
/// </summary>
internal sealed class PairDifferences
{
    private readonly double[] _squares;
    private readonly int _dimensions;

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

    public double ScaledDistanceSquared(int pair, double[] inverseSquaredLengthScales) =>
        System.Numerics.Tensors.TensorPrimitives.Dot(_squares.AsSpan(pair * _dimensions, _dimensions), inverseSquaredLengthScales);

    /// <summary>accumulator += factor · squares(pair).</summary>
    public void AddScaled(int pair, double factor, double[] accumulator) =>
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(_squares.AsSpan(pair * _dimensions, _dimensions), factor, accumulator, accumulator);
}
