using Seamless.Evaluation.Generation;
using Seamless.Evaluation.Prompts;
using Seamless.Evaluation.Scoring;
using Seamless.Hashing;

namespace Seamless.Evaluation.Bench;

/// <summary>
/// Scores each model on the same prompts and seeds, then (optionally) on prompt sets of n tags for the
/// accuracy-by-tag-count table. Models run one after another on one backend; images are cached.
/// </summary>
public sealed class BenchRunner(IImageGenerator generator, TagAccuracyEvaluator evaluator, TagPool pool, PromptProtocol protocol, FileHasher hasher)
{
    /// <summary>The VAE each model decodes with (the benchmark's per-model <c>sd_vae</c>); null: the backend's default.</summary>
    public Func<string, string?>? VaeFor { get; init; }

    public async Task<IReadOnlyList<BenchModelResult>> RunAsync(
        IReadOnlyList<string> models,
        IReadOnlyList<(int Tags, int Prompts)> tagCounts,
        IProgress<EvaluationProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(tagCounts);
        var main = PromptSet.Search(pool, protocol).Prompts;
        var results = new List<BenchModelResult>(models.Count);
        foreach (var path in models)
        {
            var sha = hasher.Hash(path).Sha256;
            var candidate = new CandidateModel(path, sha, System.IO.Path.GetFileNameWithoutExtension(path)) { Vae = VaeFor?.Invoke(path) };
            var report = await evaluator.EvaluateAsync(generator, candidate, main, progress, cancellationToken).ConfigureAwait(false);
            var byCount = new SortedDictionary<int, Accuracy>();
            var diversity = new SortedDictionary<int, double>();
            foreach (var (n, promptsPerCount) in tagCounts.Where(c => c.Tags <= pool.Tags.Count))
            {
                var set = PromptSet.WithTagCount(pool, protocol, promptsPerCount, n).Prompts;
                var counted = await evaluator.EvaluateAsync(generator, candidate, set, progress, cancellationToken).ConfigureAwait(false);
                byCount[n] = counted.Overall;
                if (counted.Diversity is { } d)
                {
                    diversity[n] = d;
                }
            }

            results.Add(new BenchModelResult(path, sha, report, byCount, diversity.Count == 0 ? null : diversity));
        }

        return results;
    }
}
