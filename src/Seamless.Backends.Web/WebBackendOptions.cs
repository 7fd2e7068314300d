namespace Seamless.Backends.Web;

/// <summary>
/// Where a web backend is and how patient to be with it. <see cref="ModelsDir"/> is the server's checkpoint folder
/// as this machine sees it (A1111 <c>models/Stable-diffusion</c>, ComfyUI <c>models/checkpoints</c>); candidates
/// go into its <c>seamless/</c> subfolder and are deleted after use. <see cref="Auth"/> is <c>user:password</c>
/// for HTTP basic auth and is never logged.
/// </summary>
public sealed record WebBackendOptions(Uri Url, string ModelsDir)
{
    public string? Auth { get; init; }

    /// <summary>Per-attempt limit for one HTTP call (generation of a batch included).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public int Retries { get; init; } = 4;

    /// <summary>First retry delay; later ones back off exponentially with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Interval between ComfyUI <c>/history</c> polls.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The URL without user information, safe for messages.</summary>
    public string Display => new UriBuilder(Url) { UserName = "", Password = "" }.Uri.ToString().TrimEnd('/');
}
