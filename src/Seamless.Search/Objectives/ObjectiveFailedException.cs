namespace Seamless.Search.Objectives;

/// <summary>An evaluation that produced no score; the trial is recorded as failed with this message and the study goes on.</summary>
public sealed class ObjectiveFailedException(string message) : Exception(message);
