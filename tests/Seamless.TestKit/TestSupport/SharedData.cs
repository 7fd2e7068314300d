namespace Seamless.Tests.TestSupport;

/// <summary>
/// Locates the project's shared test material (<c>../shared</c> beside the repository). It is absent in a user's
/// clone, so tests that need it skip with a reason there.
/// </summary>
public static class SharedData
{
    public static string? Folder { get; } = Find();

    public const string Missing = "../shared (test material beside the repository) is not present";

    public static string? File(string relative) => Folder is null ? null : Path.Combine(Folder, relative);

    private static string? Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Seamless.slnx")))
            {
                var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                return Directory.Exists(Path.Combine(shared, "arch")) ? shared : null;
            }

            dir = dir.Parent;
        }

        return null;
    }
}
