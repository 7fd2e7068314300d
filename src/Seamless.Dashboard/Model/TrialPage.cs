namespace Seamless.Dashboard.Model;

/// <summary>One page of the trial table: <see cref="Matching"/> trials pass the filter, of <see cref="Total"/>.</summary>
public sealed record TrialPage(int Total, int Matching, int Page, int Size, IReadOnlyList<string> Parameters, IReadOnlyList<TrialRow> Rows);
