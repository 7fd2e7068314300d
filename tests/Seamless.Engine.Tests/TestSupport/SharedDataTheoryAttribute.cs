namespace Seamless.Tests.TestSupport;

/// <summary>A theory that is skipped, with the reason, when ../shared is absent.</summary>
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute()
    {
        if (SharedData.Folder is null)
        {
            Skip = SharedData.Missing;
        }
    }
}
