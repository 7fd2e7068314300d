using static TorchSharp.torch;

namespace Seamless.Tests.TestSupport;

/// <summary>A fact about what happens without CUDA; skipped where libtorch sees a CUDA device.</summary>
public sealed class NoCudaFactAttribute : FactAttribute
{
    public NoCudaFactAttribute()
    {
        if (cuda.is_available())
        {
            Skip = "this machine has a CUDA device";
        }
    }
}
