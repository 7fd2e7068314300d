using Seamless.Search.Optimizers;

namespace Seamless.Tests.Optimizers;

public sealed class AdditiveKernelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(52)]
    public void Mean_RandomRows_EqualsTheScalarFormula(int d)
    {
        var random = new Random(d);
        var a = Enumerable.Range(0, d).Select(_ => random.NextDouble()).ToArray();
        var b = Enumerable.Range(0, d).Select(_ => random.NextDouble()).ToArray();
        var inverse = Enumerable.Range(0, d).Select(_ => Math.Exp(2 * (random.NextDouble() - 0.5))).ToArray();
        var difference = a.Zip(b, (x, y) => Math.Abs(x - y)).ToArray();
        var terms = new double[d];
        Assert.Equal(AdditiveKernel.Reference(a, b, inverse), AdditiveKernel.Mean(difference, inverse, null, 0, terms), 12);
        Assert.Equal(a.Zip(b, (x, y) => Math.Abs(x - y)).Select((v, i) => MaternKernel.Value(v * v * inverse[i] * inverse[i])), terms, (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void Mean_Gradient_MatchesFiniteDifferencesInLogLengthScale()
    {
        var difference = new[] { 0.1, 0.45, 0.9 };
        var logLambda = new[] { -0.7, 0.2, -1.5 };
        double Value(double[] logs) => AdditiveKernel.Mean(difference, logs.Select(l => Math.Exp(-l)).ToArray(), null, 0, null) * difference.Length;
        var gradient = new double[3];
        AdditiveKernel.Mean(difference, logLambda.Select(l => Math.Exp(-l)).ToArray(), gradient, 1, null);
        for (var a = 0; a < 3; a++)
        {
            var plus = (double[])logLambda.Clone();
            var minus = (double[])logLambda.Clone();
            plus[a] += 1e-6;
            minus[a] -= 1e-6;
            Assert.Equal((Value(plus) - Value(minus)) / 2e-6, gradient[a], 6);
        }
    }

    [Fact]
    public void Row_ManyRows_EqualsTheScalarFormulaPerRow()
    {
        var random = new Random(9);
        var point = Enumerable.Range(0, 13).Select(_ => random.NextDouble()).ToArray();
        var rows = Enumerable.Range(0, 37).Select(_ => Enumerable.Range(0, 13).Select(_ => random.NextDouble()).ToArray()).ToArray();
        var inverse = Enumerable.Range(0, 13).Select(_ => Math.Exp(random.NextDouble() - 0.5)).ToArray();
        var output = new double[37];
        AdditiveKernel.Row(point, rows, inverse, output);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(AdditiveKernel.Reference(point, rows[i], inverse), output[i], 12);
        }
    }
}
