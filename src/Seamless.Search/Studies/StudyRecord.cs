namespace Seamless.Search.Studies;

/// <summary>A stored study: its id and configuration.</summary>
public sealed record StudyRecord(long Id, StudyConfig Config, DateTimeOffset Created);
