using Seamless.Search.Objectives;

namespace Seamless.Search.Merges;

/// <summary>
/// A merge objective as a study's objective: each trial's merge is written (<paramref name="materialise"/>, unless the
/// objective merges in memory), scored, and deleted afterwards unless kept (<c>keep_best</c> keeps the best files
/// itself) — also when scoring fails, so no candidate file outlives its trial by accident.
/// </summary>
/// <param name="materialise">Writes the merge of (trial number, parameters) and returns its path.</param>
/// <param name="deleteAfter">Whether the file is deleted once the trial is scored.</param>
public sealed class MergeTrialObjective(IMergeObjective inner, Func<int, IReadOnlyDictionary<string, double>, CancellationToken, string> materialise, bool deleteAfter) : IObjective
{
    public async Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, double fidelity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(materialise);
        string? path = null;
        try
        {
            path = inner.InMemory ? null : materialise(trialNumber, parameters, cancellationToken);
            return await inner.EvaluateAsync(trialNumber, parameters, path, fidelity, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (deleteAfter && path is not null && File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }
}
