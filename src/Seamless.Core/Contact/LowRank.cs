using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Single;

namespace Seamless.Contact;

/// <summary>
/// Best rank-r approximations of row-major m×n float matrices. Pure math, no I/O. The big thin products go through
/// <see cref="ThinProducts"/> (native BLAS when present); QR and the small SVDs are MathNet's. MathNet stores column-major, so
/// a row-major m×n buffer is used directly as the column-major n×m matrix Dᵀ (no copy), and results come back the
/// same way.
/// </summary>
public static class LowRank
{
    /// <summary>Returns the row-major m×n rank-r approximation of the row-major m×n matrix in <paramref name="data"/>.</summary>
    public static float[] Approximate(float[] data, int rows, int columns, LowRankOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Rank, 1);
        if (data.Length != (long)rows * columns)
        {
            throw new ArgumentException($"expected {rows}×{columns} values, got {data.Length}", nameof(data));
        }

        if (options.Rank >= Math.Min(rows, columns))
        {
            return (float[])data.Clone();
        }

        var dt = new DenseMatrix(columns, rows, data);
        var (left, right) = options.Method == LowRankMethod.Exact
            ? ExactFactors(dt, options.Rank)
            : RandomizedFactors(dt, options);

        // Dᵣᵀ = right·leftᵀ is n×m column-major, i.e. Dᵣ row-major.
        return ThinProducts.TimesTransposed(right, left).Values;
    }

    /// <summary>Singular values of the row-major m×n matrix, largest first (for error measurements).</summary>
    public static float[] SingularValues(float[] data, int rows, int columns)
    {
        var dt = new DenseMatrix(columns, rows, data);
        return dt.Svd(computeVectors: false).S.ToArray();
    }

    /// <summary>‖D − Dᵣ‖_F of the optimal rank-r approximation: the root of the sum of the discarded σᵢ².</summary>
    public static double OptimalError(float[] data, int rows, int columns, int rank)
    {
        var s = SingularValues(data, rows, columns);
        return Math.Sqrt(s.Skip(rank).Sum(x => (double)x * x));
    }

    // D = L·Rᵀ with L m×r (= U·Σ) and R n×r (= V), computed on Dt = Dᵀ.
    private static (Matrix<float> Left, Matrix<float> Right) RandomizedFactors(DenseMatrix dt, LowRankOptions options)
    {
        var m = dt.ColumnCount;
        var n = dt.RowCount;
        var k = Math.Min(options.Rank + options.Oversample, Math.Min(m, n));
        var random = new System.Random(unchecked((int)(options.Seed ^ (options.Seed >> 32))));
        var omega = DenseMatrix.CreateRandom(n, k, new Normal(0, 1, random));

        var q = Orthonormal(ThinProducts.Times(dt, omega));          // range of D·Ω, m×k
        for (var i = 0; i < options.PowerIterations; i++)
        {
            var z = Orthonormal(ThinProducts.TransposeTimes(dt, q)); // Dᵀ·Q, n×k
            q = Orthonormal(ThinProducts.Times(dt, z));              // D·Z, m×k
        }

        // B = Qᵀ·D (k×n); work on Bᵀ = Dᵀ·Q (n×k) = Q₂·R₂ so the SVD is of the small k×k R₂ᵀ.
        var bt = ThinProducts.TransposeTimes(dt, q);
        var qr = bt.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        var svd = qr.R.Transpose().Svd(computeVectors: true);       // R₂ᵀ = U·S·Wᵀ, so B = U·S·(Q₂·W)ᵀ
        var r = options.Rank;
        var u = svd.U.SubMatrix(0, k, 0, r);
        var s = svd.S.SubVector(0, r);
        var w = svd.VT.SubMatrix(0, r, 0, k).Transpose();
        var left = q.Multiply(u).Multiply(DiagonalMatrix.OfDiagonal(r, r, s));
        var right = qr.Q.Multiply(w);
        return (left, right);
    }

    // Thin QR of the tall side, then the SVD of the square factor: an exact SVD without n×n factors.
    private static (Matrix<float> Left, Matrix<float> Right) ExactFactors(DenseMatrix dt, int rank)
    {
        var m = dt.ColumnCount;
        var n = dt.RowCount;
        if (n >= m)
        {
            // Dᵀ (n×m, tall) = Q·R → D = Rᵀ·Qᵀ; Rᵀ = U·S·Wᵀ → D = U·S·(Q·W)ᵀ.
            var qr = dt.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
            var svd = qr.R.Transpose().Svd(computeVectors: true);
            var left = svd.U.SubMatrix(0, m, 0, rank).Multiply(DiagonalMatrix.OfDiagonal(rank, rank, svd.S.SubVector(0, rank)));
            var right = qr.Q.Multiply(svd.VT.SubMatrix(0, rank, 0, m).Transpose());
            return (left, right);
        }
        else
        {
            // D (m×n, tall) = Q·R; R = U·S·Vᵀ → D = (Q·U)·S·Vᵀ.
            var d = dt.Transpose();
            var qr = d.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
            var svd = qr.R.Svd(computeVectors: true);
            var left = qr.Q.Multiply(svd.U.SubMatrix(0, n, 0, rank)).Multiply(DiagonalMatrix.OfDiagonal(rank, rank, svd.S.SubVector(0, rank)));
            var right = svd.VT.SubMatrix(0, rank, 0, n).Transpose();
            return (left, right);
        }
    }

    private static Matrix<float> Orthonormal(Matrix<float> a) =>
        a.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin).Q;
}
