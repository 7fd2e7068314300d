using System.Globalization;
using System.Text.RegularExpressions;
using Seamless.Dashboard.Live;
using Seamless.Reports.Charts.Svg;
using Seamless.Reports.Model;
using Seamless.Reports.Writers;
using Seamless.Search.Merges;
using Seamless.Search.Studies;

namespace Seamless.Dashboard.Model;

/// <summary>
/// Turns study snapshots into what the page shows. The study view goes through <see cref="ReportBuilder"/>, so the
/// dashboard and <c>report.html</c> draw the same charts (<see cref="HtmlReport.SvgCharts"/>) from the same data.
/// </summary>
public static partial class StudyViewBuilder
{
    public static StudySummary Summary(StudySnapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var config = snapshot.Study.Config;
        var trials = snapshot.Trials;
        var merge = MergeOf(config);
        var counts = new TrialCounts(
            trials.Count(t => t.State == TrialState.Queued), trials.Count(t => t.State == TrialState.Running), trials.Count(t => t.State == TrialState.Complete),
            trials.Count(t => t.State == TrialState.Pruned), trials.Count(t => t.State == TrialState.Failed));
        var finished = counts.Complete + counts.Pruned + counts.Failed;
        var full = trials.Where(t => t.State == TrialState.Complete && t.Value is not null && t.Fidelity >= 1).ToList();
        var best = config.Maximize ? full.MaxBy(t => t.Value) : full.MinBy(t => t.Value);
        var workers = trials.Where(t => t.State == TrialState.Running && t.Worker is not null)
            .Select(t => new WorkerState(t.Worker!, t.Number, t.Heartbeat is { } h ? Math.Max(0, (now - h).TotalSeconds) : null)).ToList();
        return new StudySummary(config.Name, merge?.Architecture.ToString(), merge?.Models.Select(m => Path.GetFileName(m)).ToList() ?? [], config.Optimizer, config.Budget,
            trials.Count, finished, counts, best is null ? null : Score(best), Eta(trials, config.Budget, finished, counts.Running), Round(config.Name, merge), workers, snapshot.Signature);
    }

    public static StudyView View(StudySnapshot snapshot, IReadOnlyDictionary<string, StudySnapshot> all, string storage, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(all);
        var config = snapshot.Study.Config;
        var merge = MergeOf(config);
        var folder = merge is null ? null : StudyFolders.ReportFolder(merge, config.Name);
        var data = ReportBuilder.Build(snapshot.Study, snapshot.Trials, storage, now) with { HeldOut = folder is null ? null : SafeHeldOut(folder) };
        var charts = HtmlReport.SvgCharts(data).ToDictionary(c => c.Name, c => c.Svg, StringComparer.Ordinal);
        var export = merge is not null && data.Recommended is { } r ? Export(merge, r, storage) : null;
        var held = data.HeldOut is { } h ? new HeldOutView(h.Trial, h.SearchValue, h.Value, h.Low, h.High, h.Prompts) : null;
        return new StudyView(
            Summary(snapshot, now), storage, merge is null ? null : Path.GetFileName(merge.BasePath), config.Space.Parameters.Select(p => p.Name).ToList(),
            data.Recommended is { Value: not null } rec ? Score(rec) : null,
            data.FinalEstimate is { } e ? new EstimateView(e.Mean, e.Low, e.High) : null,
            charts, data.ReferenceNames,
            data.Categories.Select(c => new CategoryView(c.Category, c.Best, c.References, c.Average, c.DeltaPercent)).ToList(),
            held, Lineage(config.Name, merge, all), export,
            folder is null ? null : DefaultSamples(snapshot, data, folder));
    }

    /// <summary>Any trial's recipe heat map (or the difference of two), with its export forms; null when there is no such trial.</summary>
    public static (string Svg, ExportView? Export)? Recipe(StudySnapshot snapshot, int trial, int? versus, string storage)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var merge = MergeOf(snapshot.Study.Config);
        var a = snapshot.Trials.FirstOrDefault(t => t.Number == trial);
        var b = versus is { } v ? snapshot.Trials.FirstOrDefault(t => t.Number == v) : null;
        if (merge is null || a is null || (versus is not null && b is null))
        {
            return null;
        }

        var (models, blocks, grid) = ReportBuilder.RecipeGrid(merge, a);
        var title = $"trial {trial}: weight per block and model";
        if (b is not null)
        {
            var other = ReportBuilder.RecipeGrid(merge, b).Grid;
            for (var m = 0; m < grid.GetLength(0); m++)
            {
                for (var k = 0; k < grid.GetLength(1); k++)
                {
                    grid[m, k] -= other[m, k];
                }
            }

            title = $"trial {trial} − trial {versus}: difference of weights";
        }

        return (SvgHeatmapChart.Render(title, models, blocks, grid), b is null ? Export(merge, a, storage) : null);
    }

    /// <summary>Two trials' kept samples side by side, prompt by prompt; null when the study keeps none.</summary>
    public static SampleComparison? Samples(StudySnapshot snapshot, int left, int right)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var merge = MergeOf(snapshot.Study.Config);
        return merge is null ? null : Compare(snapshot.Study.Config.Name, StudyFolders.ReportFolder(merge, snapshot.Study.Config.Name), left, right);
    }

    /// <summary>The report folder of a study, where its sample images live; null for studies that are not merge searches.</summary>
    public static string? ReportFolder(StudySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return MergeOf(snapshot.Study.Config) is { } merge ? StudyFolders.ReportFolder(merge, snapshot.Study.Config.Name) : null;
    }

    private static SampleComparison? DefaultSamples(StudySnapshot snapshot, ReportData data, string folder)
    {
        if (data.Recommended is not { } rec)
        {
            return null;
        }

        // The base (all weights 0) is the natural comparison; without it, the first trial.
        var zeros = snapshot.Trials.FirstOrDefault(t => t.State == TrialState.Complete && t.Parameters.Values.All(v => v == 0));
        var left = zeros?.Number ?? snapshot.Trials.Where(t => t.State == TrialState.Complete).Select(t => t.Number).DefaultIfEmpty(rec.Number).Min();
        return Compare(snapshot.Study.Config.Name, folder, left, rec.Number);
    }

    private static SampleComparison? Compare(string study, string folder, int left, int right)
    {
        var a = TrialSamples.Load(folder, left).ToDictionary(s => s.Prompt);
        var b = TrialSamples.Load(folder, right).ToDictionary(s => s.Prompt);
        if (a.Count == 0 && b.Count == 0)
        {
            return null;
        }

        SampleView? View(int trial, TrialSample? s) => s is null ? null : new SampleView(SampleUrl(study, trial, s.Image), s.Found);
        var prompts = a.Keys.Union(b.Keys).Order().Select(p =>
        {
            var any = a.GetValueOrDefault(p) ?? b[p];
            return new SamplePair(p, (int)any.Seed, any.Tags, View(left, a.GetValueOrDefault(p)), View(right, b.GetValueOrDefault(p)));
        }).ToList();
        return new SampleComparison(left, right, prompts);
    }

    public static string SampleUrl(string study, int trial, string image) =>
        string.Create(CultureInfo.InvariantCulture, $"api/studies/{Uri.EscapeDataString(study)}/trials/{trial}/samples/{image}");

    private static ExportView Export(MergeSearchConfig merge, Trial trial, string storage)
    {
        var e = RecipeExport.Build(merge, trial, storage);
        return new ExportView(trial.Number, e.Yaml, e.Supermerger.Select(s => new ModelWeights(s.Model, s.Weights)).ToList(), e.MergeCommand, e.BestCommand);
    }

    private static ScoreWithInterval Score(Trial t) => new(t.Number, t.Value!.Value, t.IntervalLow, t.IntervalHigh);

    /// <summary>Time left at the pace so far: trials finished per wall-clock second since the first started.</summary>
    private static double? Eta(IReadOnlyList<Trial> trials, int budget, int finished, int running)
    {
        var left = budget - finished;
        if (left <= 0)
        {
            return 0;
        }

        var started = trials.Where(t => t.Started is not null).Select(t => t.Started!.Value).DefaultIfEmpty().Min();
        var last = trials.Where(t => t.Finished is not null).Select(t => t.Finished!.Value).DefaultIfEmpty().Max();
        if (running == 0 || finished == 0 || last <= started)
        {
            return null;
        }

        return left * (last - started).TotalSeconds / finished;
    }

    private static RoundPosition? Round(string name, MergeSearchConfig? merge)
    {
        var m = RoundName().Match(name);
        return m.Success ? new RoundPosition(m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), merge?.Rounds?.Count) : null;
    }

    private static List<RoundView> Lineage(string name, MergeSearchConfig? merge, IReadOnlyDictionary<string, StudySnapshot> all)
    {
        if (Round(name, merge) is not { } position)
        {
            return [];
        }

        return all.Values.Select(s => (Snapshot: s, Position: Round(s.Study.Config.Name, null)))
            .Where(x => x.Position?.Lineage == position.Lineage)
            .OrderBy(x => x.Position!.Index)
            .Select(x =>
            {
                var config = x.Snapshot.Study.Config;
                var best = MergeOf(config) is not null ? MergeSearch.Recommended(config, x.Snapshot.Trials) : null;
                return new RoundView(x.Position!.Index, config.Name, best?.Value is null ? null : Score(best));
            }).ToList();
    }

    private static HeldOutCheck? SafeHeldOut(string folder)
    {
        try
        {
            return HeldOutCheck.TryLoad(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static MergeSearchConfig? MergeOf(StudyConfig config) => MergeSearch.TryFromStudy(config);

    [GeneratedRegex(@"^(.+)-round(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex RoundName();
}
