using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Generation;
using Seamless.Evaluation.Prompts;
using Seamless.Hashing;
using Seamless.Search.Objectives;

namespace Seamless.Evaluation;

/// <summary>
/// Tag accuracy as a search objective: the candidate (file, or recipe merged in memory by the embedded engine) is drawn on the study's prompts (the first
/// ⌈fidelity · n⌉ of them) and scored. The binomial count handed to the optimiser is the effective number of pairs
/// (clustered by prompt), so its noise model sees the real uncertainty. Backend faults that survive the retries
/// never invent a score: the trial goes back to the queue (another backend may take it) and fails after its attempts.
/// </summary>
public sealed class TagAccuracyObjective(
    IImageGenerator generator,
    TagAccuracyEvaluator evaluator,
    PromptSet prompts,
    FileHasher hasher,
    IProgress<EvaluationProgress>? progress = null) : IObjective
{
    /// <summary>
    /// The score to beat (the best full-fidelity score so far), read before each full-fidelity evaluation; when set,
    /// a candidate whose interval falls below it is stopped early and recorded as pruned with its partial score.
    /// </summary>
    public Func<double?>? Incumbent { get; init; }

    /// <summary>
    /// The merge recipe of a trial's parameters. With a generator that merges in memory, the candidate is this recipe
    /// (no file is written, and none is expected); otherwise the materialised file is drawn.
    /// </summary>
    public Func<IReadOnlyDictionary<string, double>, Merging.MergeRecipe>? RecipeOf { get; init; }

    /// <summary>True when candidates go to the generator as recipes, so the runner need not write files.</summary>
    public bool InMemory => RecipeOf is not null && generator.MergesInMemory;

    public async Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, string? modelPath, double fidelity, CancellationToken cancellationToken)
    {
        CandidateModel model;
        if (InMemory)
        {
            model = CandidateModel.FromRecipe(RecipeOf!(parameters), hasher, $"trial-{trialNumber}");
        }
        else if (modelPath is null)
        {
            throw new ObjectiveFailedException("tag accuracy needs a candidate model file, and this search produced none");
        }
        else
        {
            model = new CandidateModel(modelPath, hasher.Hash(modelPath).Sha256, $"trial-{trialNumber}");
        }

        Scoring.AccuracyReport report;
        try
        {
            var stopBelow = fidelity >= 1 ? Incumbent?.Invoke() : null;
            report = await evaluator.EvaluateAsync(generator, model, prompts.Take(fidelity), progress, stopBelow, cancellationToken).ConfigureAwait(false);
        }
        catch (EvaluationException ex) when (ex.Reason is EvaluationError.BackendFailed or EvaluationError.BackendMismatch or EvaluationError.ImageInvalid)
        {
            throw new ObjectiveFailedException(ex.Message, backendUnavailable: true);
        }

        var o = report.Overall;
        var categories = report.Categories.ToDictionary(kv => kv.Key, kv => kv.Value.Value, StringComparer.Ordinal);
        return new ObjectiveResult(o.Value, categories, (long)Math.Max(1, Math.Round(o.EffectivePairs)), o.Low, o.High, report.Stopped);
    }
}
