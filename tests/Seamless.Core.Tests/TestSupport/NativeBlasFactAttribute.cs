namespace Seamless.Tests.TestSupport;

/// <summary>A fact that is skipped, with the reason, when OpenBLAS cannot be loaded (CI installs libopenblas0).</summary>
public sealed class NativeBlasFactAttribute : FactAttribute
{
    public NativeBlasFactAttribute()
    {
        if (!Seamless.Contact.OpenBlas.Available)
        {
            Skip = "OpenBLAS (libopenblas.so.0) is not installed or SEAMLESS_BLAS=managed; the managed path is tested instead";
        }
    }
}
