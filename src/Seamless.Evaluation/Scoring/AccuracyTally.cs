using Seamless.Evaluation.Tags;

namespace Seamless.Evaluation.Scoring;

/// <summary>
/// Accumulates prompt outcomes into overall and per-category accuracy. Each (image, tag) pair counts once overall
/// and once in each category its tag belongs to; intervals cluster by prompt.
/// </summary>
public sealed class AccuracyTally(TagCatalog catalog)
{
    private readonly List<PromptOutcome> _outcomes = [];

    public int PromptCount => _outcomes.Count;

    public void Add(PromptOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Detected.Count != outcome.Images * outcome.Tags.Count)
        {
            throw new ArgumentException($"prompt {outcome.PromptIndex}: {outcome.Detected.Count} detections for {outcome.Images} images × {outcome.Tags.Count} tags", nameof(outcome));
        }

        _outcomes.Add(outcome);
    }

    /// <summary>The current estimate (callable at any time, e.g. for sequential early stopping).</summary>
    public AccuracyReport Report()
    {
        var overall = new List<(long, long)>(_outcomes.Count);
        var perCategory = new Dictionary<string, List<(long, long)>>(StringComparer.Ordinal);
        foreach (var o in _outcomes)
        {
            long d = 0;
            var catCounts = new Dictionary<string, (long D, long N)>(StringComparer.Ordinal);
            for (var t = 0; t < o.Tags.Count; t++)
            {
                long dt = 0;
                for (var i = 0; i < o.Images; i++)
                {
                    if (o[i, t])
                    {
                        dt++;
                    }
                }

                d += dt;
                foreach (var c in catalog.CategoriesOf(o.Tags[t]))
                {
                    var (cd, cn) = catCounts.GetValueOrDefault(c);
                    catCounts[c] = (cd + dt, cn + o.Images);
                }
            }

            overall.Add((d, (long)o.Images * o.Tags.Count));
            foreach (var (c, counts) in catCounts)
            {
                if (!perCategory.TryGetValue(c, out var list))
                {
                    perCategory[c] = list = [];
                }

                list.Add(counts);
            }
        }

        var categories = new Dictionary<string, Accuracy>(StringComparer.Ordinal);
        foreach (var c in catalog.Categories)
        {
            if (perCategory.TryGetValue(c, out var list))
            {
                categories[c] = ClusteredInterval.Estimate(list);
            }
        }

        return new AccuracyReport(ClusteredInterval.Estimate(overall), categories, _outcomes.ToList());
    }
}
