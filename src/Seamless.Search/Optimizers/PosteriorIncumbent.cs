namespace Seamless.Search.Optimizers;

/// <summary>
/// The recommendation rule shared by the optimiser, the merge search and the report: among the better-observed fifth
/// of the candidates (at least 3), the one with the best posterior mean. The mean discounts a lucky noisy score; the
/// shortlist keeps a poorly fitted model from recommending a point that actually scored badly.
/// </summary>
public static class PosteriorIncumbent
{
    /// <param name="score">The observed score, larger is better.</param>
    /// <param name="point">The candidate's position in the unit cube, where <paramref name="model"/> predicts (in its own sign).</param>
    /// <param name="cap">At most this many shortlisted (the report caps it to stay fast on long studies).</param>
    public static (T Item, double Mean, double Variance) Select<T>(IEnumerable<T> candidates, Func<T, double> score, Func<T, double[]> point, GaussianProcess model, int cap = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(model);
        var list = candidates.ToList();

        // Means decide (O(n) each); only the winner's variance (O(n²)) is computed.
        var best = list.OrderByDescending(score).Take(Math.Max(3, Math.Min(cap, list.Count / 5)))
            .Select(c => (Item: c, Mean: model.PredictMean(point(c))))
            .MaxBy(x => x.Mean);
        var (mean, variance) = model.Predict(point(best.Item));
        return (best.Item, mean, variance);
    }
}
