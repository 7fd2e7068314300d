namespace Seamless.Errors;

/// <summary>A checkpoint that is a valid file but the wrong kind of model for the operation.</summary>
public sealed class CheckpointException : SeamlessException
{
    public CheckpointException(string? path, CheckpointError reason, string detail)
        : base(path, detail) => Reason = reason;

    public CheckpointError Reason { get; }
}
