using Seamless.Architecture;
using Seamless.Search.Merges;
using Seamless.Search.Optimizers;
using Seamless.Search.Studies;

namespace Seamless.Reports.Model;

/// <summary>
/// Computes <see cref="ReportData"/> from a study. References for the category table are the trials at the base
/// (all weights 0) and at each input model alone (that model's weights 1, others 0) when the study measured them
/// (probes); the recommended trial is the merge search's recommendation (best posterior mean) or the best value.
/// Sensitivity is |Spearman ρ| between each parameter and the score over full-fidelity trials: cheap, monotone,
/// and honest about being a marginal measure.
/// </summary>
public static class ReportBuilder
{
    /// <summary>Trial metric names the report reads (written by the tag-accuracy objective).</summary>
    public const string DiversityMetric = "diversity";

    public const string AccuracyMetric = "accuracy";

    public static ReportData Build(StudyRecord study, IReadOnlyList<Trial> trials, string storage, DateTimeOffset generated)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trials);
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Value is not null).OrderBy(t => t.Number).ToList();
        var series = new List<TrialPoint>(complete.Count);
        var best = double.NegativeInfinity;
        foreach (var t in complete)
        {
            if (t.Fidelity >= 1)
            {
                best = Math.Max(best, t.Value!.Value);
            }

            series.Add(new TrialPoint(t.Number, t.Value!.Value, t.IntervalLow, t.IntervalHigh, t.Fidelity, double.IsNegativeInfinity(best) ? double.NaN : best));
        }

        var merge = MergeSearch.TryFromStudy(study.Config);

        // One model for the recommendation and the curve (the same observations): on a long study the fit is most of the work.
        var ordered = trials.OrderBy(t => t.Number).ToList();
        (GaussianProcess Model, int[] Used)? fitted = merge is not null && study.Config.Optimizer.StartsWith("gp", StringComparison.Ordinal)
            && ordered.Count(t => t.State is TrialState.Complete or TrialState.Pruned && t.Value is not null) >= 3
            ? IncumbentCurve.Fit(study.Config, ordered)
            : null;
        var recommended = merge is not null
            ? MergeSearch.Recommended(study.Config, ordered, fitted?.Model)
            : complete.Where(t => t.Fidelity >= 1).OrderByDescending(t => t.Value).FirstOrDefault();

        var (refNames, refTrials) = References(study, complete, merge);
        var categories = CategoryTable(recommended, refTrials);
        var (hmModels, hmBlocks, heatmap) = merge is not null && recommended is not null ? RecipeGrid(merge, recommended) : ([], [], null);
        return new ReportData(study.Config.Name, storage, study.Config, trials.OrderBy(t => t.Number).ToList(), series, recommended, refNames, categories,
            hmModels, hmBlocks, heatmap, Sensitivity(study, complete), trials.Count(t => t.State == TrialState.Failed), trials.Count(t => t.State == TrialState.Pruned), generated)
        {
            Incumbents = IncumbentCurve.Compute(study.Config, ordered, fitted),
        };
    }

    private static (List<string> Names, List<Trial?> Trials) References(StudyRecord study, List<Trial> complete, MergeSearchConfig? merge)
    {
        var names = new List<string>();
        var found = new List<Trial?>();
        var full = complete.Where(t => t.Fidelity >= 1).ToList();
        Trial? At(Func<string, double> expected) =>
            full.LastOrDefault(t => study.Config.Space.Parameters.All(p => t.Parameters.TryGetValue(p.Name, out var v) && Math.Abs(v - expected(p.Name)) < 1e-9));

        names.Add(merge is null ? "all zeros" : $"base ({Path.GetFileName(merge.BasePath)})");
        found.Add(At(_ => 0));
        if (merge is not null)
        {
            foreach (var model in merge.Models)
            {
                var prefix = MergeSearchSpace.ParameterName(model, merge.Groups[0]).Split(':')[0] + ":";
                names.Add(Path.GetFileName(model));
                found.Add(At(p => p.StartsWith(prefix, StringComparison.Ordinal) ? 1 : 0));
            }
        }

        return (names, found);
    }

    private static List<CategoryRow> CategoryTable(Trial? best, List<Trial?> references)
    {
        if (best?.Categories is null)
        {
            return [];
        }

        // Accuracy as measured: a trial whose score a diversity floor scaled down keeps its raw accuracy in its metrics.
        static double? Accuracy(Trial? t) => t?.Metrics?.GetValueOrDefault(AccuracyMetric) is { } raw and not 0 ? raw : t?.Value;
        static double? Metric(Trial? t, string name) => t?.Metrics is { } m && m.TryGetValue(name, out var v) ? v : null;
        var rows = new List<CategoryRow> { Row("overall", Accuracy(best), references.Select(Accuracy).ToList()) };
        foreach (var (category, value) in best.Categories)
        {
            rows.Add(Row(category, value, references.Select(r => r?.Categories?.GetValueOrDefault(category, double.NaN) is { } v && !double.IsNaN(v) ? v : (double?)null).ToList()));
        }

        if (Metric(best, DiversityMetric) is { } diversity)
        {
            rows.Add(Row(DiversityMetric, diversity, references.Select(r => Metric(r, DiversityMetric)).ToList()));
        }

        return rows;
    }

    private static CategoryRow Row(string category, double? best, List<double?> references)
    {
        var present = references.Where(r => r is not null).Select(r => r!.Value).ToList();
        double? average = present.Count == 0 ? null : present.Average();
        double? delta = best is null || average is null or 0 ? null : 100 * (best.Value - average.Value) / average.Value;
        return new CategoryRow(category, best, references, average, delta);
    }

    /// <summary>A trial's recipe as weights per model (rows) and block (columns), the VAE block left out.</summary>
    public static (List<string> Models, List<string> Blocks, double[,] Grid) RecipeGrid(MergeSearchConfig merge, Trial best)
    {
        ArgumentNullException.ThrowIfNull(merge);
        ArgumentNullException.ThrowIfNull(best);
        var layout = BlockMap.LayoutOf(merge.Architecture, merge.BlockMap);
        var blocks = layout.Blocks.Where(b => b != BlockLayout.Vae).ToList();
        var recipe = MergeSearchSpace.Recipe(merge, best.Parameters);
        var models = recipe.Models.Select(m => Path.GetFileName(m.Path)).ToList();
        var grid = new double[models.Count, blocks.Count];
        for (var m = 0; m < recipe.Models.Count; m++)
        {
            var weights = recipe.Models[m].Weights.Resolve(layout, new List<string>())!;
            for (var b = 0; b < blocks.Count; b++)
            {
                grid[m, b] = weights[blocks[b]];
            }
        }

        return (models, blocks, grid);
    }

    private static List<(string, double)> Sensitivity(StudyRecord study, List<Trial> complete)
    {
        var full = complete.Where(t => t.Fidelity >= 1).ToList();
        if (full.Count < 4)
        {
            return [];
        }

        var values = Ranks(full.Select(t => t.Value!.Value).ToArray());
        return study.Config.Space.Parameters
            .Select(p => (p.Name, Math.Abs(Correlation(Ranks(full.Select(t => t.Parameters.GetValueOrDefault(p.Name)).ToArray()), values))))
            .Select(x => (x.Name, double.IsNaN(x.Item2) ? 0 : x.Item2))
            .OrderByDescending(x => x.Item2)
            .ToList();
    }

    /// <summary>Average ranks (ties share the mean rank), the input of Spearman's ρ.</summary>
    internal static double[] Ranks(double[] x)
    {
        var order = Enumerable.Range(0, x.Length).OrderBy(i => x[i]).ToArray();
        var ranks = new double[x.Length];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && x[order[j + 1]] == x[order[i]])
            {
                j++;
            }

            for (var k = i; k <= j; k++)
            {
                ranks[order[k]] = (i + j) / 2.0;
            }

            i = j + 1;
        }

        return ranks;
    }

    internal static double Correlation(double[] a, double[] b)
    {
        var ma = a.Average();
        var mb = b.Average();
        double sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }

        return saa == 0 || sbb == 0 ? double.NaN : sab / Math.Sqrt(saa * sbb);
    }
}
