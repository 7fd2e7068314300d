namespace Seamless.Errors;

/// <summary>
/// A recipe (or block-weight string) that cannot be used. Carries every problem found, so a user fixes them
/// all in one go; <see cref="Exception.Message"/> joins them on one line.
/// </summary>
public sealed class RecipeException : SeamlessException
{
    public RecipeException(string? path, IReadOnlyList<string> problems)
        : base(path, string.Join("; ", problems)) => Problems = problems;

    public RecipeException(string? path, string problem)
        : this(path, [problem]) { }

    public IReadOnlyList<string> Problems { get; }
}
