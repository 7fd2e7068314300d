namespace Seamless.Backends.Web.Http;

/// <summary>An answer that arrived but is broken in a way a retry may fix (a corrupt image, a half-written file).</summary>
public sealed class TransientResponseException(string message, Exception? inner = null) : Exception(message, inner);
