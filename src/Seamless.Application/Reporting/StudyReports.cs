using System.Globalization;
using Seamless.Application.Studies;
using Seamless.Application.TagAccuracy;
using Seamless.Errors;
using Seamless.Reports.Charts;
using Seamless.Reports.Model;
using Seamless.Reports.Writers;
using Seamless.Search.Merges;
using Seamless.Search.Studies;

namespace Seamless.Application.Reporting;

/// <summary>
/// Writes a study's report (HTML, Markdown, charts) from the study store and the files a search leaves beside it:
/// the held-out check, the recommended trial's sample row, and a rounds search's charts across rounds.
/// </summary>
public static class StudyReports
{
    /// <summary>The chart of scores across rounds a rounds search leaves in its folder and in its last round's report folder.</summary>
    public const string ScoresByRound = "scores-by-round.png";

    /// <summary>The grid of each round's sample row (held-out prompts, same seeds).</summary>
    public const string SamplesByRound = "samples-by-round.png";

    /// <summary>The folder of a study's sample row (the first image of the first held-out prompts).</summary>
    public const string SamplesFolder = "samples";

    /// <summary>Columns of a sample row.</summary>
    public const int SampleColumns = 6;

    /// <summary>Builds and writes a study's report; also called while a search runs and after it finishes.</summary>
    public static ReportFiles Write(string storage, string name, string folder, IReadOnlyList<string> grids)
    {
        if (!StudyStores.Exists(storage))
        {
            throw new RecipeException(storage, "study file not found");
        }

        using var store = StudyStores.Open(storage);
        var study = store.FindStudy(name) ?? throw new RecipeException(storage, $"no study named '{name}' (see 'seamless study list --storage {storage}')");
        var data = ReportBuilder.Build(study, store.Trials(study.Id), StudyStores.Describe(storage), DateTimeOffset.UtcNow) with { HeldOut = HeldOutCheck.TryLoad(folder) };
        var images = grids.Select(g => (Path.GetFileNameWithoutExtension(g), File.ReadAllBytes(g))).ToList();
        if (SampleGrid([($"trial {data.Recommended?.Number}", folder)]) is { } own)
        {
            images.Insert(0, ("samples of the recommended trial (held-out prompts)", own));
        }

        var byRound = Path.Combine(folder, SamplesByRound);
        if (File.Exists(byRound))
        {
            images.Insert(0, ("samples by round (held-out prompts, same seeds)", File.ReadAllBytes(byRound)));
        }

        var scoresByRound = Path.Combine(folder, ScoresByRound);
        if (File.Exists(scoresByRound))
        {
            images.Insert(0, ("score across rounds (best by posterior mean per round)", File.ReadAllBytes(scoresByRound)));
        }

        return ReportWriter.Write(data, folder, images);
    }

    /// <summary>
    /// After a rounds search: the scores across rounds and the rounds' sample rows, written to the plan's folder and to
    /// the last round's report folder, then the last round's report (which shows both).
    /// </summary>
    /// <returns>The chart of scores across rounds, and the grid of sample rows (null when no round kept samples).</returns>
    public static (string Scores, string? Samples) WriteRounds(MergeSearchConfig config, IStudyStore store, string storage, IReadOnlyList<RoundRecord> lineage)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(lineage);
        var plan = config.Rounds ?? throw new ArgumentException("not a rounds search", nameof(config));
        var rows = lineage.Select(r => ($"round {r.Round}", StudyFolders.ReportFolder(config, Rounds.StudyName(config, r.Round)))).ToList();
        var lastFolder = rows[^1].Item2;
        Directory.CreateDirectory(lastFolder);

        // Across rounds: each round's scores and posterior-mean curve end to end (the report shows it too).
        var curves = lineage.Select(r =>
        {
            var study = store.FindStudy(Rounds.StudyName(config, r.Round))!;
            var data = ReportBuilder.Build(study, store.Trials(study.Id), StudyStores.Describe(storage), DateTimeOffset.UtcNow);
            return new RoundsChart.Round($"round {r.Round}", data.Series, data.Incumbents);
        }).ToList();
        var chart = RoundsChart.Render(curves);
        var scores = Path.Combine(plan.Folder, ScoresByRound);
        File.WriteAllBytes(scores, chart);
        File.WriteAllBytes(Path.Combine(lastFolder, ScoresByRound), chart);
        string? samples = null;
        if (SampleGrid(rows) is { } grid)
        {
            samples = Path.Combine(plan.Folder, SamplesByRound);
            File.WriteAllBytes(samples, grid);
            File.WriteAllBytes(Path.Combine(lastFolder, SamplesByRound), grid);
        }

        Write(storage, Rounds.StudyName(config, lineage[^1].Round), lastFolder, []);
        return (scores, samples);
    }

    /// <summary>
    /// One labelled grid from studies' sample rows (rows in the given order, e.g. rounds), or null when none has samples.
    /// </summary>
    public static byte[]? SampleGrid(IReadOnlyList<(string Label, string ReportFolder)> rows)
    {
        var codec = EvaluationSession.Codec;
        var present = rows.Where(r => Directory.Exists(Path.Combine(r.ReportFolder, SamplesFolder))).ToList();
        if (present.Count == 0)
        {
            return null;
        }

        var grid = present.Select(r => (r.Label, (IReadOnlyList<Seamless.Evaluation.Images.RgbaImage>)Enumerable.Range(0, SampleColumns)
            .Select(i => Path.Combine(r.ReportFolder, SamplesFolder, string.Create(CultureInfo.InvariantCulture, $"p{i}.png")))
            .Where(File.Exists)
            .Select(f => codec.Decode(File.ReadAllBytes(f), f))
            .ToList())).ToList();
        var columns = Enumerable.Range(0, grid.Max(r => r.Item2.Count)).Select(i => string.Create(CultureInfo.InvariantCulture, $"held-out prompt {i}")).ToList();
        return Seamless.Imaging.GridRenderer.Render(columns, grid);
    }
}
