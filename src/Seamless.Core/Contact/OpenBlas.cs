using System.Runtime.InteropServices;

namespace Seamless.Contact;

/// <summary>
/// Optional native BLAS for the tall-skinny products of the randomised SVD: OpenBLAS's <c>cblas_sgemm</c>, found at
/// run time (Debian/Ubuntu: <c>apt install libopenblas0</c>). When it is absent, or <c>SEAMLESS_BLAS=managed</c>, the
/// products use MathNet's managed provider, with the same results to rounding. Set to one thread: callers already
/// run one tensor per core.
/// </summary>
internal static unsafe class OpenBlas
{
    private const int ColumnMajor = 102;
    private const int NoTranspose = 111;
    private const int Transpose = 112;

    private static readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemm = Load();

    public static bool Available => Sgemm != null;

    /// <summary>C (m×n) = op(A)·op(B), all column-major; op(X) is Xᵀ when the flag is set.</summary>
    public static void Multiply(float[] a, int lda, bool transposeA, float[] b, int ldb, bool transposeB, float[] c, int m, int n, int k)
    {
        if (Sgemm == null)
        {
            throw new InvalidOperationException("OpenBLAS is not loaded");
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            Sgemm(ColumnMajor, transposeA ? Transpose : NoTranspose, transposeB ? Transpose : NoTranspose, m, n, k, 1f, pa, lda, pb, ldb, 0f, pc, m);
        }
    }

    private static delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Load()
    {
        if (string.Equals(Environment.GetEnvironmentVariable("SEAMLESS_BLAS"), "managed", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var name in new[] { "libopenblas.so.0", "libopenblas.so", "libopenblas.dylib", "libopenblas.dll", "openblas" })
        {
            if (NativeLibrary.TryLoad(name, out var handle) && NativeLibrary.TryGetExport(handle, "cblas_sgemm", out var sgemm))
            {
                if (NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var threads))
                {
                    ((delegate* unmanaged<int, void>)threads)(1);
                }

                return (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
            }
        }

        return null;
    }
}
