using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Single;

namespace Seamless.Contact;

/// <summary>
/// The two products the randomised SVD repeats on a large matrix D, held as Dᵀ (a row-major D read as column-major):
/// D·X and Dᵀ·X for thin X. Native BLAS when available (<see cref="OpenBlas"/>), else MathNet.
/// </summary>
internal static class ThinProducts
{
    /// <summary>D·X, with D = dtᵀ (m×n) and X n×k.</summary>
    public static Matrix<float> Times(DenseMatrix dt, Matrix<float> x)
    {
        if (!OpenBlas.Available)
        {
            return dt.TransposeThisAndMultiply(x);
        }

        var (n, m, k) = (dt.RowCount, dt.ColumnCount, x.ColumnCount);
        var result = new float[m * k];
        OpenBlas.Multiply(dt.Values, n, true, Dense(x), n, false, result, m, k, n);
        return new DenseMatrix(m, k, result);
    }

    /// <summary>Dᵀ·X, with Dᵀ = dt (n×m) and X m×k.</summary>
    public static Matrix<float> TransposeTimes(DenseMatrix dt, Matrix<float> x)
    {
        if (!OpenBlas.Available)
        {
            return dt.Multiply(x);
        }

        var (n, m, k) = (dt.RowCount, dt.ColumnCount, x.ColumnCount);
        var result = new float[n * k];
        OpenBlas.Multiply(dt.Values, n, false, Dense(x), m, false, result, n, k, m);
        return new DenseMatrix(n, k, result);
    }

    /// <summary>A·Bᵀ for A p×r and B q×r (the rank-r reconstruction), as a dense p×q matrix.</summary>
    public static DenseMatrix TimesTransposed(Matrix<float> a, Matrix<float> b)
    {
        if (!OpenBlas.Available)
        {
            return (DenseMatrix)a.TransposeAndMultiply(b);
        }

        var (p, q, r) = (a.RowCount, b.RowCount, a.ColumnCount);
        var result = new float[p * q];
        OpenBlas.Multiply(Dense(a), p, false, Dense(b), q, true, result, p, q, r);
        return new DenseMatrix(p, q, result);
    }

    private static float[] Dense(Matrix<float> x) => x is DenseMatrix d ? d.Values : x.ToColumnMajorArray();
}
