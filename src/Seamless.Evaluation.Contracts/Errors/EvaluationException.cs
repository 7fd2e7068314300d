using Seamless.Errors;

namespace Seamless.Evaluation.Errors;

/// <summary>A failure of the tag-accuracy evaluation that the user can fix (a file, a URL, a setting).</summary>
public sealed class EvaluationException : SeamlessException
{
    public EvaluationException(string? path, EvaluationError reason, string detail, Exception? inner = null)
        : base(path, detail, inner) => Reason = reason;

    public EvaluationError Reason { get; }
}
