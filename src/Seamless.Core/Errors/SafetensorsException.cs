namespace Seamless.Errors;

/// <summary>A safetensors file that cannot be read or written, with the reason as data.</summary>
public sealed class SafetensorsException : SeamlessException
{
    public SafetensorsException(string? path, SafetensorsError reason, string detail, Exception? inner = null)
        : base(path, detail, inner) => Reason = reason;

    public SafetensorsError Reason { get; }
}
