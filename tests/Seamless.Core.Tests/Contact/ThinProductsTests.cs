using MathNet.Numerics.LinearAlgebra.Single;
using Seamless.Contact;
using Seamless.Tests.TestSupport;

namespace Seamless.Tests.Contact;

public sealed class ThinProductsTests
{
    private static DenseMatrix Random(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        return DenseMatrix.Create(rows, columns, (_, _) => random.NextSingle() - 0.5f);
    }

    [NativeBlasFact]
    public void NativeProducts_MatchManagedProducts()
    {
        var dt = Random(300, 70, 1);
        var x = Random(300, 9, 2);
        var y = Random(70, 9, 3);
        Assert.True((ThinProducts.Times(dt, x) - dt.TransposeThisAndMultiply(x)).FrobeniusNorm() < 1e-3);
        Assert.True((ThinProducts.TransposeTimes(dt, y) - dt.Multiply(y)).FrobeniusNorm() < 1e-3);
        var a = Random(40, 4, 4);
        var b = Random(55, 4, 5);
        Assert.True((ThinProducts.TimesTransposed(a, b) - a.TransposeAndMultiply(b)).FrobeniusNorm() < 1e-4);
    }
}
