using System.Globalization;
using Seamless.Architecture;
using Seamless.Benchmarks.Landscapes;
using Seamless.Evaluation;
using Seamless.Evaluation.Fabrication;
using Seamless.Evaluation.Prompts;
using Seamless.Evaluation.Tagging;
using Seamless.Evaluation.Tags;
using Seamless.Fabrication;
using Seamless.Hashing;
using Seamless.Imaging;
using Seamless.Merging;
using Seamless.Search.Merges;
using Seamless.Search.Optimizers;
using Seamless.Search.Studies;
using Seamless.Storage.Sqlite;
using Seamless.Tagging.Onnx;
using Seamless.Tagging.Onnx.Fabrication;

namespace Seamless.Benchmarks;

/// <summary>
/// The end-to-end check of issue #13: a real <c>tag_accuracy</c> search (SQLite study, the default optimiser, real
/// merges written per trial, a tiny ONNX tagger scoring images prompt by prompt, early stopping) against a backend
/// driven by a suite landscape (<see cref="LandscapeGenerator"/>), so the optimum is known. Two models into a base,
/// <c>blocks: all</c> (52 weights), the family's bounds, <c>sum_le_1</c>, <c>probes: [zeros, models]</c> (<c>[zeros]</c> where weight 1 is outside the bounds), 24 prompts ×
/// 4 images × 8 tags, budget 60; then the original's procedure on the same world: rounds of 20 trials over 26 weights,
/// the pool being the two models. Each is judged by the true accuracy of what it returns (the recommended merge; the
/// last round's output), as the share of the gap from the best input to the optimum (under sum_le_1) that it closes.
/// </summary>
internal static class EndToEndBenchmark
{
    /// <summary>The optimiser: <c>default</c> (the search's own) or a suite variant name (<c>--optimizer seamless-local</c>).</summary>
    private static string Variant { get; set; } = "default";

    /// <summary>Rounds mode's next base: <c>recommended</c> (the default) or <c>best_observed</c> (the original's rule).</summary>
    private static string NextBase { get; set; } = "recommended";

    /// <summary>Early stopping of hopeless candidates, as a search does by default (<c>--no-early-stop</c> turns it off).</summary>
    private static bool EarlyStop { get; set; } = true;

    /// <summary>Also print what the optimiser's incumbent and the best observed trial are truly worth (<c>--alternatives</c>).</summary>
    private static bool Alternatives { get; set; }

    /// <summary>Whether the joint search probes each model alone too (<c>--probe-base-only</c>: the base only).</summary>
    private static bool ProbeModels { get; set; } = true;

    public static int Run(string[] args)
    {
        var a = new BenchmarkArgs(args);
        var work = Path.Combine(a.Work, "e2e");
        Directory.CreateDirectory(work);
        var families = a.Get("families", "ridge52").Split(',').Select(n => LandscapeSuite.Families.Single(f => f.Name == n)).ToList();
        var seeds = int.Parse(a.Get("seeds", "5"), CultureInfo.InvariantCulture);
        var seedFrom = int.Parse(a.Get("seed-from", "1"), CultureInfo.InvariantCulture);
        var budget = int.Parse(a.Get("budget", "60"), CultureInfo.InvariantCulture);
        var modes = a.Get("modes", "joint,rounds").Split(',');
        Variant = a.Get("optimizer", "default");
        NextBase = a.Get("next-base", "recommended");
        EarlyStop = !a.Has("no-early-stop");
        ProbeModels = !a.Has("probe-base-only");
        Alternatives = a.Has("alternatives");

        var models = Enumerable.Range(1, 3).Select(s =>
        {
            var path = Path.Combine(work, $"m{s}.safetensors");
            if (!File.Exists(path))
            {
                Fabricator.Fabricate(ArchitectureManifest.Sd15, FabricationScale.Tiny, (ulong)s, path);
            }

            return path;
        }).ToList();
        var world = new TinyWorld(seed: 7, blocks: BlockMap.LayoutOf(ModelArchitecture.SD1).StandardBlocks.Count);
        var spec = TinyTaggerBuilder.Write(world, Path.Combine(work, "tagger"));
        using var tagger = OnnxTagger.Open(spec);
        var protocol = new PromptProtocol { Prompts = 24, HeldOutPrompts = 0, TagsPerPrompt = 8, ImagesPerPrompt = 4, BatchSize = 4, Width = 64, Height = 64 };
        var prompts = PromptSet.Search(TagPool.FromLabels(tagger.Labels, protocol), protocol);
        var evaluator = new TagAccuracyEvaluator(tagger, new SkiaImageCodec(), TagCatalog.Default(), protocol);

        var lines = new List<string>();
        foreach (var family in families)
        {
            var closed = modes.ToDictionary(m => m, _ => new List<double>());
            foreach (var seed in Enumerable.Range(seedFrom, seeds))
            {
                var landscape = family.Instance(seed);
                var generator = new LandscapeGenerator(landscape, world, models[0], models[1..(1 + family.Models)]);
                var d = landscape.Dimensions;
                double F(double[] w) => landscape.AccuracyOfWeights(w);

                // The optimum a sum_le_1 search can reach: the landscape over repaired weights (each block's pair
                // scaled down to sum 1, as the search repairs a proposal).
                var star = LandscapeOptimum.Find(w => F(Repaired(w, family.Blocks)), d, family.Low, family.High, seed);
                var optimum = F(Repaired(star, family.Blocks));
                // The inputs a search can probe: the base, and each model alone where weight 1 is within the bounds.
                double[] inputs = ModelsProbed(family)
                    ? [F(new double[d]), .. Enumerable.Range(0, family.Models).Select(m => F([.. Enumerable.Range(0, d).Select(i => i / family.Blocks == m ? 1.0 : 0.0)]))]
                    : [F(new double[d])];
                var bestInput = inputs.Max();
                var row = new List<string>();
                foreach (var mode in modes)
                {
                    var folder = Path.Combine(work, $"{family.Name}-{seed}-{mode}");
                    if (Directory.Exists(folder))
                    {
                        Directory.Delete(folder, recursive: true);
                    }

                    Directory.CreateDirectory(folder);
                    var started = DateTime.UtcNow;
                    var output = mode == "rounds"
                        ? Rounds(folder, family, seed, budget, models, generator, evaluator, prompts)
                        : Joint(folder, family, seed, budget, models, generator, evaluator, prompts);
                    var truth = F(generator.WeightsOf(output));
                    var share = (truth - bestInput) / (optimum - bestInput);
                    closed[mode].Add(share);
                    row.Add(string.Create(CultureInfo.InvariantCulture, $"{mode} {truth:0.0000} ({share:P0} of the gap, {(DateTime.UtcNow - started).TotalSeconds:0} s)"));
                }

                var line = string.Create(CultureInfo.InvariantCulture, $"{family.Name} seed {seed} ({Variant}): best input {bestInput:0.0000}, optimum {optimum:0.0000}; ") + string.Join("; ", row);
                Console.WriteLine(line);
                lines.Add(line);
            }

            foreach (var mode in modes)
            {
                var v = closed[mode].Order().ToList();
                var summary = string.Create(CultureInfo.InvariantCulture, $"{family.Name} {mode} ({Variant}), budget {budget}: gap closed mean {v.Average():P0}, median {v[v.Count / 2]:P0}, min {v[0]:P0}, max {v[^1]:P0} over {v.Count} instances");
                Console.WriteLine(summary);
                lines.Add(summary);
            }
        }

        File.AppendAllLines(Path.Combine(a.Work, "results.md"), lines.Append(""));
        return 0;
    }

    /// <summary>Whether each model alone (weight 1, the others 0) is a point of the family's box, so a search probes it.</summary>
    private static bool ModelsProbed(LandscapeFamily family) => ProbeModels && family.Low <= 0 && family.High >= 1;

    private static double[] Repaired(double[] w, int blocks)
    {
        var r = (double[])w.Clone();
        var models = r.Length / blocks;
        for (var b = 0; b < blocks; b++)
        {
            var sum = Enumerable.Range(0, models).Sum(m => r[(m * blocks) + b]);
            if (sum > 1)
            {
                for (var m = 0; m < models; m++)
                {
                    r[(m * blocks) + b] /= sum;
                }
            }
        }

        return r;
    }

    private static string Joint(string folder, LandscapeFamily family, int seed, int budget, List<string> models, LandscapeGenerator generator, TagAccuracyEvaluator evaluator, PromptSet prompts)
    {
        var config = Load(folder, "joint", $"""
            name: joint
            base: {models[0]}
            models: [{string.Join(", ", models[1..(1 + family.Models)])}]
            blocks: all
            bounds: [{family.Low.ToString(CultureInfo.InvariantCulture)}, {family.High.ToString(CultureInfo.InvariantCulture)}]
            {(family.Models > 1 ? "constraint: sum_le_1" : "")}
            probes: {(ModelsProbed(family) ? "[zeros, models]" : "[zeros]")}
            budget: {budget}
            seed: {seed}
            objective: {"{"}tag_accuracy: {"{"}backend: toy{"}"}{"}"}
            """);
        using var store = new SqliteStudyStore(Path.Combine(folder, "studies.db"));
        var merger = new CheckpointMerger();
        var study = MergeSearch.Create(store, config);
        var optimizer = Search(config, study, store, merger, generator, evaluator, prompts);
        var trials = store.Trials(study.Id);
        var best = MergeSearch.Recommended(study.Config, trials) ?? throw new InvalidOperationException("no trial completed");
        if (Alternatives)
        {
            // What other recommendation rules would have returned: the optimiser's own incumbent (the suite's judge) and
            // the best observed trial.
            var complete = trials.Where(t => t.State == TrialState.Complete && t.Value is not null).ToList();
            var incumbent = optimizer.Incumbent(StudyRunner.Observations(study.Config, trials)).Point;
            var nearest = complete.MinBy(t => study.Config.Space.ToUnit(t.Parameters).Zip(incumbent).Sum(p => (p.First - p.Second) * (p.First - p.Second)))!;
            double Truth(Trial t)
            {
                var path = MergeSearch.Materialise(config, t, merger, CancellationToken.None);
                var truth = generator.Landscape.AccuracyOfWeights(generator.WeightsOf(path));
                File.Delete(path);
                return truth;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {family.Name} seed {seed}: recommended trial {best.Number} true {Truth(best):0.0000}; optimiser's incumbent trial {nearest.Number} true {Truth(nearest):0.0000}; best observed trial {MergeSearch.BestObserved(study.Config, trials)!.Number} true {Truth(MergeSearch.BestObserved(study.Config, trials)!):0.0000}"));
        }

        return MergeSearch.Materialise(config, best, merger, CancellationToken.None);
    }

    private static string Rounds(string folder, LandscapeFamily family, int seed, int budget, List<string> models, LandscapeGenerator generator, TagAccuracyEvaluator evaluator, PromptSet prompts)
    {
        const int perRound = 20;
        var config = Load(folder, "rounds", $"""
            name: rounds
            base: {models[0]}
            rounds: {"{"}count: {budget / perRound}, pool: [{models[1]}, {models[2]}], trials: {perRound}, next_base: {NextBase}{"}"}
            blocks: all
            bounds: [{family.Low.ToString(CultureInfo.InvariantCulture)}, {family.High.ToString(CultureInfo.InvariantCulture)}]
            seed: {seed}
            objective: {"{"}tag_accuracy: {"{"}backend: toy{"}"}{"}"}
            """);
        using var store = new SqliteStudyStore(Path.Combine(folder, "studies.db"));
        var merger = new CheckpointMerger();
        var lineage = Seamless.Search.Merges.Rounds.RunAsync(config, store, (c, s, _) =>
        {
            Search(c, s, store, merger, generator, evaluator, prompts);
            return Task.CompletedTask;
        }, merger, CancellationToken.None).GetAwaiter().GetResult();
        return lineage[^1].Output;
    }

    private static MergeSearchConfig Load(string folder, string name, string yaml)
    {
        var path = Path.Combine(folder, name + ".yaml");
        File.WriteAllText(path, yaml);
        return MergeSearchConfigLoader.Load(path);
    }

    /// <summary>One study as <c>seamless search</c> runs it: repair, materialise, tag accuracy with early stopping.</summary>
    private static IOptimizer Search(MergeSearchConfig config, StudyRecord study, SqliteStudyStore store, CheckpointMerger merger, LandscapeGenerator generator, TagAccuracyEvaluator evaluator, PromptSet prompts)
    {
        var objective = new TagAccuracyObjective(generator, evaluator, prompts, new FileHasher())
        {
            Incumbent = !EarlyStop ? null : () => store.Trials(study.Id).Where(t => t.State == TrialState.Complete && t.Fidelity >= 1 && t.Value is not null).Select(t => t.Value).Max(),
        };
        IOptimizer optimizer = Variant == "default" ? MergeSearch.Optimizer(config) : SuiteBenchmark.Make(Variant);
        var runner = new StudyRunner(store, optimizer, new MergeTrialObjective(objective, (number, parameters, ct) => MergeSearch.Materialise(config, number, parameters, merger, ct), deleteAfter: true))
        {
            Repair = p => MergeSearchSpace.Repair(config, p),
        };
        runner.RunAsync(study).GetAwaiter().GetResult();
        return optimizer;
    }
}
