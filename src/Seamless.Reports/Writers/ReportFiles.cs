namespace Seamless.Reports.Writers;

/// <summary>What a report wrote: the self-contained HTML, the Markdown, and the chart PNGs beside it.</summary>
public sealed record ReportFiles(string Html, string Markdown, IReadOnlyList<string> Charts);
