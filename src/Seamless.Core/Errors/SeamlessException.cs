namespace Seamless.Errors;

/// <summary>
/// Base of every failure a user can cause (bad file, bad recipe, mismatched models). The CLI prints
/// <see cref="Exception.Message"/> as one line and exits non-zero; anything else is a bug and keeps its stack trace.
/// </summary>
public abstract class SeamlessException : Exception
{
    protected SeamlessException(string? path, string detail, Exception? inner = null)
        : base(path is null ? detail : $"{path}: {detail}", inner)
    {
        FilePath = path;
        Detail = detail;
    }

    /// <summary>The file the problem is about, when there is one.</summary>
    public string? FilePath { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Detail { get; }
}
