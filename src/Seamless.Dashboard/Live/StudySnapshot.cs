using Seamless.Search.Studies;

namespace Seamless.Dashboard.Live;

/// <summary>One study as last read from the store; <see cref="Signature"/> changes whenever any trial does.</summary>
public sealed record StudySnapshot(StudyRecord Study, IReadOnlyList<Trial> Trials, string Signature, DateTimeOffset Read);
