namespace Seamless.Application.Execution;

/// <summary>What a running search tells its front end, as plain text for it to render.</summary>
/// <param name="Level">How the front end should show it.</param>
/// <param name="Text">Plain text (user data included: front ends escape it).</param>
public sealed record ExecutionMessage(MessageLevel Level, string Text);

/// <summary>The kinds of <see cref="ExecutionMessage"/>.</summary>
public enum MessageLevel
{
    /// <summary>What is happening (the search started, the held-out check's result, where the report is).</summary>
    Info,

    /// <summary>Something worth knowing that is not a problem yet (a retry against an unreachable store).</summary>
    Note,

    /// <summary>A problem the search survives (a backend set aside, a report not written).</summary>
    Warning,
}
