using System.Text.Json;
using Seamless.Merging;
using Seamless.Search.Optimizers;
using Seamless.Search.Studies;

namespace Seamless.Search.Merges;

/// <summary>Study set-up, candidate materialisation and the recommended recipe for merge searches.</summary>
public static class MergeSearch
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static StudyConfig StudyConfig(MergeSearchConfig config) =>
        new(config.Name, MergeSearchSpace.Build(config), config.Optimizer, config.Budget, config.Seed, "maximize", config.ObjectiveCommand, JsonSerializer.Serialize(config, Json), config.Fidelity);

    public static MergeSearchConfig FromStudy(StudyConfig study) =>
        study.Extra is { } extra
            ? JsonSerializer.Deserialize<MergeSearchConfig>(extra, Json) ?? throw new InvalidDataException("empty merge search configuration")
            : throw new Errors.RecipeException(null, $"study '{study.Name}' is not a merge search (it has no models); it was made by 'seamless optimize'");

    /// <summary>
    /// The merge configuration of a study, or null when it is not a merge search (made by <c>seamless optimize</c>) or
    /// was written by another tool version: read-side views (report, dashboard) then show what they can without it.
    /// </summary>
    public static MergeSearchConfig? TryFromStudy(StudyConfig study)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (study.Extra is null)
        {
            return null;
        }

        try
        {
            return FromStudy(study);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The optimiser of a merge search: <see cref="OptimizerFactory"/>'s, told whether each input is probed alone.</summary>
    public static IOptimizer Optimizer(MergeSearchConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return OptimizerFactory.Create(config.Optimizer, ProbesEachInput(config));
    }

    /// <summary>Whether, for every model, some probe sets all its searched (not fixed) weights to 1 and every other weight to 0.</summary>
    public static bool ProbesEachInput(MergeSearchConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Groups.Count == 0 || config.Probes.Count == 0)
        {
            return false;
        }

        // Fixed weights are not parameters, so probes do not hold them.
        var names = config.Models.Select(m => config.Groups.Select(g => MergeSearchSpace.ParameterName(m, g)).Where(n => !config.Fixed.ContainsKey(n)).ToHashSet(StringComparer.Ordinal)).ToList();
        return names.All(own => config.Probes.Any(p => p.Count > 0 && p.All(x => x.Value == (own.Contains(x.Key) ? 1 : 0)) && own.All(p.ContainsKey)));
    }

    /// <summary>Creates the study and queues its probe points (they run before any proposal).</summary>
    public static StudyRecord Create(IStudyStore store, MergeSearchConfig config)
    {
        var study = store.CreateStudy(StudyConfig(config));
        foreach (var probe in config.Probes)
        {
            store.Enqueue(study.Id, probe);
        }

        return study;
    }

    /// <summary>Writes the candidate of <paramref name="trial"/> into the work folder and returns its path.</summary>
    public static string Materialise(MergeSearchConfig config, Trial trial, CheckpointMerger merger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return Materialise(config, trial.Number, trial.Parameters, merger, cancellationToken);
    }

    /// <summary>Writes the merge of trial <paramref name="number"/>'s <paramref name="parameters"/> to its candidate path.</summary>
    public static string Materialise(MergeSearchConfig config, int number, IReadOnlyDictionary<string, double> parameters, CheckpointMerger merger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(merger);
        Directory.CreateDirectory(config.WorkFolder);
        var path = CandidatePath(config, number);
        merger.Merge(MergeSearchSpace.Recipe(config, parameters), path, null, cancellationToken);
        return path;
    }

    /// <summary>Deletes candidate files in the work folder except those of the K best completed trials.</summary>
    public static void KeepBest(MergeSearchConfig config, IReadOnlyList<Trial> trials)
    {
        if (!Directory.Exists(config.WorkFolder))
        {
            return;
        }

        var keep = trials.Where(t => t.State == TrialState.Complete).OrderByDescending(t => t.Value).Take(config.KeepBest)
            .Select(t => CandidatePath(config, t.Number)).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(config.WorkFolder, $"{config.Name}-trial*.safetensors"))
        {
            if (!keep.Contains(Path.GetFullPath(file)))
            {
                File.Delete(file);
            }
        }
    }

    public static string CandidatePath(MergeSearchConfig config, int trialNumber) =>
        Path.GetFullPath(Path.Combine(config.WorkFolder, $"{config.Name}-trial{trialNumber:0000}.safetensors"));

    /// <summary>The completed, fully evaluated trial with the best observed score (the original's <c>optimizer.max</c>).</summary>
    public static Trial? BestObserved(StudyConfig config, IReadOnlyList<Trial> trials)
    {
        var all = trials.Where(t => t.State == TrialState.Complete).ToList();
        var complete = all.Any(t => t.Fidelity >= 1) ? all.Where(t => t.Fidelity >= 1).ToList() : all;
        return config.Maximize ? complete.MaxBy(t => t.Value) : complete.MinBy(t => t.Value);
    }

    /// <summary>
    /// The trial to recommend: for model-based optimisers the completed trial with the best posterior mean (not the
    /// luckiest noisy score), otherwise the best observed one. <paramref name="model"/>: the model of these trials'
    /// observations (<see cref="StudyRunner.Observations"/>, fitted by <see cref="GaussianProcess.FitBounded"/>) when the
    /// caller has it already (a report fits it once for this and its curve).
    /// </summary>
    public static Trial? Recommended(StudyConfig config, IReadOnlyList<Trial> trials, GaussianProcess? model = null)
    {
        var all = trials.Where(t => t.State == TrialState.Complete).ToList();
        if (all.Count == 0)
        {
            return null;
        }

        // Only fully evaluated trials are recommended when there are any (multi-fidelity search).
        var complete = all.Any(t => t.Fidelity >= 1) ? all.Where(t => t.Fidelity >= 1).ToList() : all;
        if (!config.Optimizer.StartsWith("gp", StringComparison.Ordinal) || all.Count < 3)
        {
            return BestObserved(config, trials);
        }

        // As BayesianOptimizer.Incumbent: best posterior mean among the better observed fifth.
        var sign = config.Maximize ? 1 : -1;
        model ??= GaussianProcess.FitBounded(StudyRunner.Observations(config, trials)).Model;
        return PosteriorIncumbent.Select(complete, t => sign * t.Value!.Value, t => config.Space.ToUnit(t.Parameters), model).Item;
    }
}
