using Seamless.Evaluation;
using Seamless.Evaluation.Diversity;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Generation;
using Seamless.Evaluation.Prompts;
using Seamless.Hashing;
using Seamless.Search.Objectives;

namespace Seamless.Search.Merges;

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
    IProgress<EvaluationProgress>? progress = null) : IMergeObjective
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

    /// <summary>
    /// The least diversity a candidate may have (needs an evaluator with an image encoder). Below it the score the search
    /// sees is scaled by diversity / floor (<see cref="DiversityFloor.Penalised"/>); the raw accuracy stays in the
    /// trial's metrics.
    /// </summary>
    public double? MinDiversity { get; init; }

    /// <summary>The VAE every candidate decodes with (<see cref="CandidateModel.Vae"/>); null: the backend's default.</summary>
    public string? Vae { get; init; }

    /// <summary>True when candidates go to the generator as recipes, so the runner need not write files.</summary>
    public bool InMemory => RecipeOf is not null && generator.MergesInMemory;

    /// <summary>Metric names in the trial record.</summary>
    public const string DiversityMetric = "diversity";

    public const string AccuracyMetric = "accuracy";

    public const string MinDiversityMetric = "min_diversity";

    public async Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, string? modelPath, double fidelity, CancellationToken cancellationToken)
    {
        CandidateModel model;
        if (InMemory)
        {
            model = CandidateModel.FromRecipe(RecipeOf!(parameters), hasher, $"trial-{trialNumber}") with { Vae = Vae, Trial = trialNumber };
        }
        else if (modelPath is null)
        {
            throw new ObjectiveFailedException("tag accuracy needs a candidate model file, and this search produced none");
        }
        else
        {
            model = new CandidateModel(modelPath, hasher.Hash(modelPath).Sha256, $"trial-{trialNumber}") { Vae = Vae, Trial = trialNumber };
        }

        Seamless.Evaluation.Scoring.AccuracyReport report;
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
        var count = (long)Math.Max(1, Math.Round(o.EffectivePairs));
        if (report.Diversity is not { } diversity)
        {
            return new ObjectiveResult(o.Value, categories, count, o.Low, o.High, report.Stopped);
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal) { [DiversityMetric] = diversity };
        var (value, low, high) = (o.Value, o.Low, o.High);
        if (MinDiversity is { } floor && diversity < floor)
        {
            metrics[AccuracyMetric] = o.Value;
            metrics[MinDiversityMetric] = floor;
            (value, low, high) = (DiversityFloor.Penalised(o.Value, diversity, floor), DiversityFloor.Penalised(o.Low, diversity, floor), DiversityFloor.Penalised(o.High, diversity, floor));
        }

        return new ObjectiveResult(value, categories, count, low, high, report.Stopped, metrics);
    }
}
