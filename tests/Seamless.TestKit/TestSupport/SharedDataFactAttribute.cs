using Xunit;

namespace Seamless.Tests.TestSupport;

/// <summary>A fact that is skipped, with the reason, when ../shared is absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Folder is null)
        {
            Skip = SharedData.Missing;
        }
    }
}
