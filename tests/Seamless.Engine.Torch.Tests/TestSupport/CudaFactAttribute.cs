using static TorchSharp.torch;

namespace Seamless.Tests.TestSupport;

/// <summary>A fact that runs only where libtorch sees a CUDA device: a machine with an NVIDIA GPU and the CUDA build (-p:SeamlessTorch=cuda).</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    private const string NoCuda = "no CUDA device: needs an NVIDIA GPU and the CUDA build (dotnet test -p:SeamlessTorch=cuda); CI has neither";

    public CudaFactAttribute()
    {
        if (!cuda.is_available())
        {
            Skip = NoCuda;
        }
    }

    /// <summary>Also skip, with the reason, where ../shared is absent.</summary>
    public bool NeedsSharedData
    {
        get => field;
        set
        {
            field = value;
            if (value && Skip is null && SharedData.Folder is null)
            {
                Skip = SharedData.Missing;
            }
        }
    }
}
