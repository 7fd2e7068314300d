using Seamless.Search.Merges;
using Seamless.Search.Optimizers;
using Seamless.Search.Studies;

namespace Seamless.Reports.Model;

/// <summary>
/// Best-so-far by posterior mean: at points along the study, a Gaussian process conditioned on the trials finished by
/// then names the full-fidelity trial with the best posterior mean (among the better observed fifth, as the search's
/// recommendation does) and gives its mean and 95 % interval. Unlike the best observed score, this curve is not
/// pulled up by a lucky noisy draw. The kernel's hyperparameters (and the standardisation of scores) are fitted once,
/// on at most <see cref="HyperparameterSample"/> trials spread over the study, and held fixed along the curve; one
/// Cholesky factorisation of all trials then gives every prefix's posterior (<see cref="GaussianProcess.Prefix"/>),
/// so a 1000-trial study still renders in seconds; beyond
/// <see cref="GaussianProcess.MaxConditioned"/> trials it conditions on a bounded subset (<see cref="GaussianProcess.FitBounded"/>).
/// </summary>
public static class IncumbentCurve
{
    public const int MaxPoints = 40;
    public const int HyperparameterSample = 200;
    private const int Shortlist = 30;

    /// <summary>The curve, or empty when the study has fewer than 3 finished trials or no full-fidelity one.</summary>
    /// <param name="fitted">The model of the finished trials in number order, from <see cref="Fit"/>, when the caller has it.</param>
    public static List<IncumbentPoint> Compute(StudyConfig config, IReadOnlyList<Trial> trials, (GaussianProcess Model, int[] Used)? fitted = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(trials);
        var finished = trials.Where(t => t.State is TrialState.Complete or TrialState.Pruned && t.Value is not null).OrderBy(t => t.Number).ToList();
        if (finished.Count < 3 || !finished.Any(t => t.State == TrialState.Complete && t.Fidelity >= 1))
        {
            return [];
        }

        var sign = config.Maximize ? 1 : -1;
        var (full, used) = fitted ?? Fit(config, trials);
        var stops = Enumerable.Range(1, MaxPoints).Select(i => (int)Math.Ceiling((double)i * finished.Count / MaxPoints)).Where(n => n >= 3).Distinct().ToList();
        var curve = new List<IncumbentPoint>(stops.Count);
        foreach (var n in stops)
        {
            var prefix = finished.Take(n).ToList();
            var candidates = prefix.Where(t => t.State == TrialState.Complete && t.Fidelity >= 1).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            // The model's own prefix: the conditioned trials among the first n (all of them below GaussianProcess.MaxConditioned).
            var conditioned = UpperBound(used, n);
            if (conditioned == 0)
            {
                continue;
            }

            var model = full.Prefix(conditioned);
            var best = PosteriorIncumbent.Select(candidates, t => sign * t.Value!.Value, t => config.Space.ToUnit(t.Parameters), model, Shortlist);

            // Observations are in the maximised sign; the curve is in the study's own units.
            var mean = sign * best.Mean;
            var half = 1.96 * Math.Sqrt(Math.Max(0, best.Variance));
            curve.Add(new IncumbentPoint(prefix[^1].Number, n, best.Item.Number, mean, mean - half, mean + half));
        }

        return curve;
    }

    /// <summary>
    /// The model of a study's finished trials (complete or pruned, with a value) in number order: the curve's and,
    /// being the same observations, the recommendation's (<see cref="MergeSearch.Recommended"/>).
    /// </summary>
    public static (GaussianProcess Model, int[] Used) Fit(StudyConfig config, IReadOnlyList<Trial> trials)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(trials);
        var finished = trials.Where(t => t.State is TrialState.Complete or TrialState.Pruned && t.Value is not null).OrderBy(t => t.Number).ToList();
        return GaussianProcess.FitBounded(StudyRunner.Observations(config, finished), HyperparameterSample);
    }

    /// <summary>How many of the ascending <paramref name="sorted"/> are below <paramref name="n"/>.</summary>
    private static int UpperBound(int[] sorted, int n)
    {
        var i = Array.BinarySearch(sorted, n);
        return i >= 0 ? i : ~i;
    }
}
