using Seamless.Architecture;
using Seamless.Evaluation.Images;
using Seamless.Imaging;
using Seamless.Reports.Model;
using Seamless.Safetensors;
using Seamless.Search.Merges;
using Seamless.Search.Studies;
using Seamless.Storage.Sqlite;

namespace Seamless.Tests.TestSupport;

/// <summary>
/// A recorded merge search in a real SQLite file, as a search leaves it: a base probe (all zeros), trials with scores,
/// intervals and categories, one failure, and sample images (real JPEGs) for the base and the best trial.
/// </summary>
public static class MergeStudy
{
    public const string HostileModel = "<img src=x onerror=alert(1)>.safetensors";

    public static MergeSearchConfig Config(string folder, string name = "merge", IReadOnlyList<string>? models = null) => new(
        name, Path.Combine(folder, "s.db"), Path.Combine(folder, "base.safetensors"),
        (models ?? ["/m/good-model.safetensors", "/m/" + HostileModel]).ToList(), "weighted_sum", DType.F16, BlockMapOptions.Default,
        [new BlockGroup("IN00-IN05", ["IN00", "IN01", "IN02", "IN03", "IN04", "IN05"], 0, 0.5), new BlockGroup("M00", ["M00"], 0, 0.5), new BlockGroup("OUT00-OUT11", BlockMap.LayoutOf(ModelArchitecture.SD1).Blocks.Where(b => b.StartsWith("OUT", StringComparison.Ordinal)).ToList(), 0, 0.5)],
        new Dictionary<string, double>(), [], "true", null, "gp", 40, 1, Path.Combine(folder, "work"), ModelArchitecture.SD1);

    /// <summary>Writes <paramref name="n"/> finished trials (trial 0 the base) and returns the store path and config.</summary>
    public static (string Db, MergeSearchConfig Config) Write(string folder, int n = 12, string name = "merge")
    {
        var config = Config(folder, name);
        using var store = new SqliteStudyStore(config.Storage);
        var study = MergeSearch.Create(store, config);
        var names = study.Config.Space.Parameters.Select(p => p.Name).ToList();
        for (var i = 0; i < n; i++)
        {
            Finish(store, study, names, i);
        }

        var best = MergeSearch.Recommended(study.Config, store.Trials(study.Id))!;
        var folderOfReport = StudyFolders.ReportFolder(config, name);
        foreach (var trial in new[] { 0, best.Number })
        {
            for (var p = 0; p < 2; p++)
            {
                var image = RgbaImage.Filled(64, 64, (byte)(40 * p), (byte)(trial % 255), 200);
                TrialSamples.Save(folderOfReport, trial, new TrialSample(p, 1000 + p, ["1girl", "red hair"], [true, trial != 0], TrialSamples.ImageName(p)), SkiaImageCodec.EncodeThumbnailJpeg(image));
            }
        }

        return (config.Storage, config);
    }

    /// <summary>Adds and finishes one trial through the store, as a worker does.</summary>
    public static void Finish(IStudyStore store, StudyRecord study, IReadOnlyList<string> names, int i)
    {
        var x = i == 0 ? 0 : ((i * 37) % 11) / 22.0;
        var parameters = names.Select((p, k) => (p, i == 0 ? 0 : ((x + (0.13 * k)) % 0.5))).ToDictionary(t => t.p, t => t.Item2);
        if (!store.Trials(study.Id).Any(t => t.State == TrialState.Queued))
        {
            store.Enqueue(study.Id, parameters);
        }

        var claimed = store.ClaimQueued(study.Id, "gpu0")!;
        var value = 0.4 + (0.5 * claimed.Parameters.Values.Average());
        var result = i == 5
            ? new TrialResult(TrialState.Failed, Error: "backend down <b>bold</b>")
            : new TrialResult(TrialState.Complete, value, 1e-4, value - 0.02, value + 0.02, new Dictionary<string, double> { ["character"] = value + 0.05, ["nature"] = value - 0.1 });
        store.Finish(claimed.Id, "gpu0", result);
    }
}
