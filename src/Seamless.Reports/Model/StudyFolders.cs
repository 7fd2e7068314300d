using Seamless.Search.Merges;

namespace Seamless.Reports.Model;

/// <summary>Where a merge search keeps what is not in the study store: its report folder (held-out check, samples).</summary>
public static class StudyFolders
{
    /// <summary>Beside the work folder: <c>{study}-report</c>.</summary>
    public static string ReportFolder(MergeSearchConfig config, string studyName)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(config.WorkFolder))!, $"{studyName}-report");
    }
}
