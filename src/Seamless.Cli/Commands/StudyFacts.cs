using Seamless.Errors;
using Seamless.Search.Studies;

namespace Seamless.Cli.Commands;

/// <summary>Shared look-ups for the study verbs.</summary>
internal static class StudyFacts
{
    public static StudyRecord Find(IStudyStore store, string name, string storage) =>
        store.FindStudy(name) ?? throw new RecipeException(storage, $"no study named '{name}' (see 'seamless study list --storage {storage}')");

    public static (Trial? Best, int Finished) Summarise(StudyConfig config, IReadOnlyList<Trial> trials)
    {
        var complete = trials.Where(t => t.State == TrialState.Complete).ToList();
        var best = config.Maximize ? complete.MaxBy(t => t.Value) : complete.MinBy(t => t.Value);
        return (best, trials.Count(t => t.State is TrialState.Complete or TrialState.Failed or TrialState.Pruned));
    }
}
