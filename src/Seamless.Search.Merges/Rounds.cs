using System.Text.Json;
using Seamless.Merging;
using Seamless.Search.Optimizers;
using Seamless.Search.Studies;

namespace Seamless.Search.Merges;

/// <summary>
/// Runs a round plan: one study per round (<c>NAME-roundR</c>), each resumable, and a lineage file listing what every
/// round merged and produced. Rerunning (or <c>--resume NAME</c>) continues from the first unfinished round.
/// </summary>
public static class Rounds
{
    public static string StudyName(MergeSearchConfig config, int round) => $"{config.Name}-round{round}";

    public static string OutputPath(MergeSearchConfig config, int round) => Path.Combine(config.Rounds!.Folder, $"{config.Name}-round{round}.safetensors");

    /// <summary>The pool model drawn for <paramref name="round"/>: seeded, so a resumed run draws the same.</summary>
    public static string Drawn(MergeSearchConfig config, int round) =>
        config.Rounds!.Pool[Seeds.Random(config.Seed, 1_000_000 + round).Next(config.Rounds.Pool.Count)];

    /// <summary>The single-model search of one round, on top of <paramref name="basePath"/>.</summary>
    public static MergeSearchConfig RoundConfig(MergeSearchConfig config, int round, string basePath)
    {
        var drawn = Drawn(config, round);
        var roundConfig = config with
        {
            Name = StudyName(config, round),
            BasePath = basePath,
            Models = [drawn],
            Budget = config.Rounds!.TrialsPerRound,
            Seed = config.Seed + round,
            Probes = [],
            Fixed = new Dictionary<string, double>(),
        };
        var space = MergeSearchSpace.Build(roundConfig);
        IReadOnlyDictionary<string, double> zeros = space.Parameters.ToDictionary(p => p.Name, _ => 0.0, StringComparer.Ordinal);
        return roundConfig with { Probes = space.Parameters.All(p => p.Low <= 0 && p.High >= 0) ? [zeros] : [] };
    }

    /// <summary>The trial of a finished round that becomes the next base, by <paramref name="rule"/>.</summary>
    public static Trial? NextBase(NextBaseRule rule, StudyConfig config, IReadOnlyList<Trial> trials) =>
        rule == NextBaseRule.BestObserved ? MergeSearch.BestObserved(config, trials) : MergeSearch.Recommended(config, trials);

    public static async Task<IReadOnlyList<RoundRecord>> RunAsync(
        MergeSearchConfig config,
        IStudyStore store,
        Func<MergeSearchConfig, StudyRecord, CancellationToken, Task> runStudy,
        CheckpointMerger merger,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(config.Rounds!.Folder);
        var lineage = new List<RoundRecord>();
        var basePath = config.BasePath;
        for (var round = 0; round < config.Rounds.Count; round++)
        {
            var roundConfig = RoundConfig(config, round, basePath);
            var study = store.FindStudy(roundConfig.Name) ?? MergeSearch.Create(store, roundConfig);
            await runStudy(roundConfig, study, cancellationToken).ConfigureAwait(false);
            var best = NextBase(config.Rounds.NextBase, study.Config, store.Trials(study.Id))
                ?? throw new Errors.RecipeException(null, $"round {round} ('{roundConfig.Name}') has no completed trial; see 'seamless study show {roundConfig.Name}'");
            var output = OutputPath(config, round);
            if (!File.Exists(output))
            {
                merger.Merge(MergeSearchSpace.Recipe(roundConfig, best.Parameters), output, null, cancellationToken);
            }

            lineage.Add(new RoundRecord(round, roundConfig.Name, basePath, roundConfig.Models[0], best.Number, best.Value, output));
            WriteLineage(config, lineage);
            basePath = output;
        }

        return lineage;
    }

    private static void WriteLineage(MergeSearchConfig config, List<RoundRecord> lineage)
    {
        var path = Path.Combine(config.Rounds!.Folder, "lineage.json");
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(lineage, LineageJson));
        File.Move(temp, path, overwrite: true);
    }

    private static readonly JsonSerializerOptions LineageJson = new() { WriteIndented = true };
}
