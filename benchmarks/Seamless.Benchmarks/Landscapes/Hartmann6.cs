namespace Seamless.Benchmarks.Landscapes;

/// <summary>
/// The standard Hartmann-6 test function (Dixon and Szegő 1978), negated to be maximised: four Gaussian-like wells
/// on [0, 1]⁶, optimum 3.32237 at (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573), several local optima.
/// Observations carry Gaussian noise of standard deviation 0.01. Not shaped like a merge landscape: it checks that
/// what helps on bowls does not break a multimodal function.
/// </summary>
internal sealed class Hartmann6 : ILandscape
{
    private const double Sigma = 0.01;
    private static readonly double[] Alpha = [1.0, 1.2, 3.0, 3.2];

    private static readonly double[,] A =
    {
        { 10, 3, 17, 3.5, 1.7, 8 },
        { 0.05, 10, 17, 0.1, 8, 14 },
        { 3, 3.5, 1.7, 10, 17, 8 },
        { 17, 8, 0.05, 10, 0.1, 14 },
    };

    private static readonly double[,] P =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 },
        { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 },
        { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    public int Dimensions => 6;

    public double Optimum => 3.32237;

    public double Accuracy(IReadOnlyList<double> x)
    {
        double s = 0;
        for (var i = 0; i < 4; i++)
        {
            double inner = 0;
            for (var j = 0; j < 6; j++)
            {
                inner += A[i, j] * (x[j] - P[i, j]) * (x[j] - P[i, j]);
            }

            s += Alpha[i] * Math.Exp(-inner);
        }

        return s;
    }

    public double Observe(IReadOnlyList<double> x, Random random)
    {
        var g = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Accuracy(x) + (Sigma * g);
    }

    public double NoiseVariance(double y) => Sigma * Sigma;
}
