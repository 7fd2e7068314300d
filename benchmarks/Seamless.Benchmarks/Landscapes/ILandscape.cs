namespace Seamless.Benchmarks.Landscapes;

/// <summary>A noisy function on the unit cube for the optimiser benchmarks, maximised.</summary>
internal interface ILandscape
{
    int Dimensions { get; }

    double Optimum { get; }

    double Accuracy(IReadOnlyList<double> x);

    double Observe(IReadOnlyList<double> x, Random random);

    /// <summary>The variance of an observation with value <paramref name="y"/>, as the optimiser is told it.</summary>
    double NoiseVariance(double y);
}
