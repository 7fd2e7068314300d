using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Seamless.Benchmarks.Landscapes;
using Seamless.Search.Optimizers;

namespace Seamless.Benchmarks;

/// <summary>
/// The landscape suite (issue #13): every optimiser on every instance of every family, in one run. Each run starts
/// with the zeros probe (the base model), as a search with <c>probes: [zeros]</c> and the original system do, and is
/// judged by the regret of the point it returns (optimum − true accuracy), at each budget, and by the evaluations
/// after which its returned point is first within 0.01 of the optimum. Seamless optimisers return their posterior
/// incumbent; the baselines their best observed point (bayes_opt's <c>max</c>, Optuna's <c>best_params</c>).
/// Every finished run is appended to WORK/suite-runs.jsonl; <c>suite --table</c> turns that file into the tables of
/// docs/benchmarks.md, so long runs can be split over processes.
/// </summary>
internal static class SuiteBenchmark
{
    private static readonly string[] PythonMethods = ["bayes_opt", "cmaes", "tpe", "random"];

    private static bool Trace { get; set; }

    public static int Run(string[] args)
    {
        var a = new BenchmarkArgs(args);
        Directory.CreateDirectory(a.Work);
        var log = Path.Combine(a.Work, "suite-runs.jsonl");
        if (a.Has("describe"))
        {
            return Describe(a);
        }

        if (a.Has("table"))
        {
            var text = Tables(File.ReadAllLines(a.Get("runs", log)), a);
            Console.WriteLine(text);
            return 0;
        }

        var families = SelectFamilies(a.Get("families", "all"));

        // --pairs N: the same instances observed with N (tag, image) pairs per evaluation (a noise check; use its own --work).
        if (a.Has("pairs"))
        {
            var pairs = long.Parse(a.Get("pairs", "0"), CultureInfo.InvariantCulture);
            families = [.. families.Select(f => f with { Pairs = pairs })];
        }

        Trace = a.Has("trace");

        // --sum-le-1: proposals repaired as a search with constraint: sum_le_1 repairs them (each block's weights over the
        // models scaled down to sum 1), and the optimiser sees the repaired point (Seamless optimisers only).
        SumLeOne = a.Has("sum-le-1");
        var optimizers = a.Get("optimizers", "seamless,seamless-ucb,bayes_opt,cmaes,tpe,random").Split(',');
        var budget = int.Parse(a.Get("budget", "200"), CultureInfo.InvariantCulture);
        var seeds = int.Parse(a.Get("seeds", "10"), CultureInfo.InvariantCulture);
        var seedFrom = int.Parse(a.Get("seed-from", "1"), CultureInfo.InvariantCulture);
        var parallel = int.Parse(a.Get("parallel", "1"), CultureInfo.InvariantCulture);
        var script = Path.GetFullPath(a.Get("python-script", Path.Combine(RepositoryRoot(), "benchmarks", "baselines", "ask_tell.py")));

        var jobs = (from family in families
                    from optimizer in optimizers
                    from seed in Enumerable.Range(seedFrom, seeds)
                    select (family, optimizer, seed)).ToList();
        var gate = new object();
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = parallel }, job =>
        {
            var (family, optimizer, seed) = job;
            var record = RunOne(family, optimizer, seed, budget, script);
            var line = JsonSerializer.Serialize(record);
            lock (gate)
            {
                File.AppendAllText(log, line + "\n");
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {family.Name} {optimizer} seed {seed}: first within 0.01 after {record.First?.ToString(CultureInfo.InvariantCulture) ?? "-"}; regret {string.Join(" / ", record.Regrets.Select(r => $"@{r.Key} {r.Value:F4}"))}; {record.Seconds:F0} s"));
            }
        });
        return 0;
    }

    internal sealed record RunRecord(string Family, string Optimizer, int Seed, int Budget, Dictionary<int, double> Regrets, int? First, double Seconds, string Date);

    private static IReadOnlyList<LandscapeFamily> SelectFamilies(string spec) => spec switch
    {
        "all" => LandscapeSuite.Families,
        "tune" => LandscapeSuite.Families.Where(f => !f.HeldOut).ToList(),
        "heldout" => LandscapeSuite.Families.Where(f => f.HeldOut).ToList(),
        _ => spec.Split(',').Select(n => LandscapeSuite.Families.SingleOrDefault(f => f.Name == n)
            ?? throw new ArgumentException($"unknown family '{n}'; known: {string.Join(", ", LandscapeSuite.Families.Select(f => f.Name))}")).ToList(),
    };

    /// <summary>The checkpoints at which the returned point is judged.</summary>
    private static readonly int[] Checkpoints = [25, 50, 100, 150, 200, 300, 400];

    private static RunRecord RunOne(LandscapeFamily family, string optimizer, int seed, int budget, string script)
    {
        var clock = Stopwatch.StartNew();
        var landscape = family.Instance(seed);
        var noise = new Random((seed * 7919) + family.Dimensions);
        var regrets = new Dictionary<int, double>();
        int? first = null;
        bool Judge(int evaluations, double[] point)
        {
            var regret = landscape.Optimum - landscape.Accuracy(point);
            if (Checkpoints.Contains(evaluations) && evaluations <= budget)
            {
                regrets[evaluations] = regret;
            }

            if (first is null && regret <= 0.01)
            {
                first = evaluations;
            }

            return first is null;
        }

        if (PythonMethods.Contains(optimizer))
        {
            RunPython(script, optimizer, landscape, seed, budget, noise, Judge);
        }
        else
        {
            RunSeamless(Make(optimizer), landscape, seed, budget, noise, Judge, SumLeOne ? x => Repaired(x, family) : x => x);
        }

        return new RunRecord(family.Name, optimizer, seed, budget, regrets, first, clock.Elapsed.TotalSeconds, DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    /// <summary>The Seamless optimisers and variants under comparison, by name.</summary>
    internal static IOptimizer Make(string name) => name switch
    {
        "seamless" => new BayesianOptimizer(),
        "default" => OptimizerFactory.Create("gp"),
        "seamless-original" => new BayesianOptimizer(BayesianOptimizerOptions.Original),
        "seamless-surface" => new BayesianOptimizer(BayesianOptimizerOptions.SurfaceSteps),
        "seamless-ucb" => new BayesianOptimizer(new BayesianOptimizerOptions { Acquisition = Acquisition.UpperConfidenceBound, InitialPoints = 5, TrustRegion = false, Additive = false, LocalDesign = false }),
        "seamless-plain" => new BayesianOptimizer(new BayesianOptimizerOptions { Acquisition = Acquisition.LogExpectedImprovement, TrustRegion = false, Additive = false, LocalDesign = false }),
        "seamless-add" => new BayesianOptimizer(BayesianOptimizerOptions.SurfaceSteps with { Additive = true }),
        "seamless-add-plain" => new BayesianOptimizer(new BayesianOptimizerOptions { Acquisition = Acquisition.LogExpectedImprovement, TrustRegion = false, LocalDesign = false }),
        "seamless-random" => new RandomSearch(),
        "seamless-local" => new BayesianOptimizer(new BayesianOptimizerOptions { Acquisition = Acquisition.LogExpectedImprovement, LocalDesign = true }),
        "seamless-global" => new BayesianOptimizer(new BayesianOptimizerOptions { Acquisition = Acquisition.LogExpectedImprovement, LocalDesign = false }),
        _ when name.StartsWith("seamless-tr", StringComparison.Ordinal) => TrustRegionVariant(name),

        // alternate:{a}|{b}: even proposals from a, odd ones from b, the incumbent from b (both see every observation).
        _ when name.StartsWith("alternate:", StringComparison.Ordinal) =>
            new Alternating(Make(name["alternate:".Length..name.IndexOf('|', StringComparison.Ordinal)]), Make(name[(name.IndexOf('|', StringComparison.Ordinal) + 1)..])),

        // nested{bins}x{evaluations per bin}:{inner}: the inner optimiser in nested subspaces (NestedEmbedding).
        _ when name.StartsWith("nested", StringComparison.Ordinal) && name.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon =>
            new NestedEmbedding(Make(name[(colon + 1)..]), int.Parse(name[6..name.IndexOf('x', StringComparison.Ordinal)], CultureInfo.InvariantCulture), double.Parse(name[(name.IndexOf('x', StringComparison.Ordinal) + 1)..colon], CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"unknown optimizer '{name}'"),
    };

    /// <summary>
    /// seamless-tr[-add][-iso][-plain|-mean][-e3][-f0.5][-s2][-n6][-l0.4][-ucb][-k1][-smooth][-notr]: the variants compared on the
    /// tuning families (additive kernel, tied length-scales, no / posterior-mean exploitation steps, their period, the
    /// region's failure scale and success tolerance, design size, UCB and its κ, improvement by posterior mean, no region).
    /// </summary>
    private static BayesianOptimizer TrustRegionVariant(string name)
    {
        var parts = name.Split('-');
        var plain = parts.Contains("plain");
        var additive = parts.Contains("add");
        var f = parts.FirstOrDefault(p => p.StartsWith('f') && p.Length > 1 && char.IsDigit(p[1])) is { } fs ? double.Parse(fs[1..], CultureInfo.InvariantCulture) : 1.0;
        var succ = parts.FirstOrDefault(p => p.StartsWith('s') && p.Length > 1 && char.IsDigit(p[1])) is { } ss ? int.Parse(ss[1..], CultureInfo.InvariantCulture) : 3;
        var mean = parts.Contains("mean");
        var every = parts.FirstOrDefault(p => p.StartsWith('e') && p.Length > 1 && char.IsDigit(p[1])) is { } es ? int.Parse(es[1..], CultureInfo.InvariantCulture) : 3;
        var n0 = parts.FirstOrDefault(p => p.StartsWith('n') && p.Length > 1 && char.IsDigit(p[1])) is { } ns ? int.Parse(ns[1..], CultureInfo.InvariantCulture) : 0;
        var acquisition = parts.Contains("ucb") ? Acquisition.UpperConfidenceBound : Acquisition.LogExpectedImprovement;
        return new BayesianOptimizer(new BayesianOptimizerOptions
        {
            Acquisition = acquisition,
            InitialPoints = n0,
            ExploitEvery = plain ? 0 : every,
            Surface = !mean,
            TrustRegion = !parts.Contains("notr"),
            FailureScale = f,
            SuccessTolerance = succ,
            Additive = additive,
            SmoothRegion = parts.Contains("smooth"),
            Tied = parts.Contains("iso"),
            CentrePoint = parts.Contains("centre"),
            LocalDesign = parts.Contains("local"),
            InitialRegion = parts.FirstOrDefault(p => p.StartsWith('l') && p.Length > 1 && char.IsDigit(p[1])) is { } ls ? double.Parse(ls[1..], CultureInfo.InvariantCulture) : TrustRegion.InitialLength,
            Kappa = parts.FirstOrDefault(p => p.StartsWith('k') && p.Length > 1 && char.IsDigit(p[1])) is { } ks ? double.Parse(ks[1..], CultureInfo.InvariantCulture) : 2.576,
        });
    }

    private static bool SumLeOne { get; set; }

    /// <summary>A unit-cube point with each block's weights (over the models) scaled down to sum at most 1, as sum_le_1 repairs.</summary>
    private static double[] Repaired(double[] x, LandscapeFamily family)
    {
        var span = family.High - family.Low;
        var w = x.Select(v => family.Low + (v * span)).ToArray();
        for (var b = 0; b < family.Blocks; b++)
        {
            var sum = Enumerable.Range(0, family.Models).Sum(m => w[(m * family.Blocks) + b]);
            if (sum > 1)
            {
                for (var m = 0; m < family.Models; m++)
                {
                    w[(m * family.Blocks) + b] /= sum;
                }
            }
        }

        return [.. w.Select(v => Math.Clamp((v - family.Low) / span, 0, 1))];
    }

    private static void RunSeamless(IOptimizer optimizer, MergeLandscape landscape, int seed, int budget, Random noise, Func<int, double[], bool> judge, Func<double[], double[]> repair)
    {
        var observations = new List<Observation>();
        void Evaluate(double[] proposed)
        {
            var x = repair(proposed);
            var y = landscape.Observe(x, noise);
            observations.Add(new Observation(x, y, landscape.NoiseVariance(y)));
        }

        Evaluate(landscape.ZerosProbe);
        var searching = judge(1, landscape.ZerosProbe);
        while (observations.Count < budget)
        {
            Evaluate(optimizer.Ask(landscape.Dimensions, observations, [], 1, seed)[0]);
            if (Trace)
            {
                var last = observations[^1];
                var bo = optimizer as BayesianOptimizer;
                var region = bo?.Region;
                var model = bo?.Model;
                var incumbent = observations.Count > 3 ? landscape.Accuracy(optimizer.Incumbent(observations).Point) : double.NaN;
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    n={observations.Count} y={last.Value:F4} true={landscape.Accuracy(last.Point):F4} best-true={observations.Max(o => landscape.Accuracy(o.Point)):F4} incumbent-true={incumbent:F4} opt={landscape.Optimum:F4} L={region?.Length:F3} sn={model?.NoiseVariance:F4} sf={model?.SignalVariance:F3} sa={model?.AdditiveVariance:F3} la=[{(model is null ? "" : string.Join(",", model.AdditiveLengthScales.Select(l => l.ToString("F2", CultureInfo.InvariantCulture))))}] ls=[{(model is null ? "" : string.Join(",", model.LengthScales.Select(l => l.ToString("F2", CultureInfo.InvariantCulture))))}]"));
            }

            // The incumbent costs a GP fit: judged at the checkpoints, and after every evaluation until within 0.01.
            if (Checkpoints.Contains(observations.Count) || (searching && observations.Count >= 10))
            {
                searching = judge(observations.Count, optimizer.Incumbent(observations).Point);
            }
        }
    }

    private static void RunPython(string script, string method, MergeLandscape landscape, int seed, int budget, Random noise, Func<int, double[], bool> judge)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(method);
        start.ArgumentList.Add(landscape.Dimensions.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(seed.ToString(CultureInfo.InvariantCulture));
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["OPENBLAS_NUM_THREADS"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.WriteLine(JsonSerializer.Serialize(new { probe = landscape.ZerosProbe }));
        process.StandardInput.Flush();
        var best = double.NegativeInfinity;
        double[]? bestPoint = null;
        for (var n = 1; n <= budget; n++)
        {
            var line = process.StandardOutput.ReadLine()
                ?? throw new InvalidOperationException($"{method} stopped after {n - 1} evaluations: {stderr.Result}");
            var x = JsonDocument.Parse(line).RootElement.GetProperty("x").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var y = landscape.Observe(x, noise);
            if (y > best)
            {
                (best, bestPoint) = (y, x);
            }

            judge(n, bestPoint!);
            process.StandardInput.WriteLine(JsonSerializer.Serialize(new { y }));
            process.StandardInput.Flush();
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
        }
    }

    private static int Describe(BenchmarkArgs a)
    {
        var seeds = int.Parse(a.Get("seeds", "10"), CultureInfo.InvariantCulture);
        Console.WriteLine("| family | held out | d | bounds | pairs | base | optimum | random point (mean) | optimum weights on a bound | build s |");
        Console.WriteLine("|---|---|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var family in SelectFamilies(a.Get("families", "all")))
        {
            var clock = Stopwatch.StartNew();
            var instances = Enumerable.Range(1, seeds).Select(family.Instance).ToList();
            var build = clock.Elapsed.TotalSeconds / seeds;
            var random = new Random(1);
            var randomMean = instances.Average(l => Enumerable.Range(0, 200).Average(_ => l.Accuracy(Enumerable.Range(0, l.Dimensions).Select(_ => random.NextDouble()).ToArray())));
            var onBound = instances.Average(l => l.OptimumPoint.Count(w => Math.Abs(w - family.Low) < 1e-6 || Math.Abs(w - family.High) < 1e-6) / (double)l.Dimensions);
            var baseAccuracy = instances.Average(l => l.Accuracy(l.ZerosProbe));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {family.Name} | {(family.HeldOut ? "yes" : "no (tuning)")} | {family.Dimensions} | ({family.Low}, {family.High}) | {family.Pairs} | {baseAccuracy:F3} | {instances.Average(l => l.Optimum):F3} | {randomMean:F3} | {onBound:P0} | {build:F2} |"));
        }

        return 0;
    }

    /// <summary>One table per family from the run log: mean regret at each budget, runs within 0.01, median evaluations.</summary>
    internal static string Tables(IEnumerable<string> lines, BenchmarkArgs a)
    {
        var records = lines.Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<RunRecord>(l)!).ToList();

        // A rerun of the same (family, optimizer, seed) replaces the earlier one.
        records = records.GroupBy(r => (r.Family, r.Optimizer, r.Seed)).Select(g => g.Last()).ToList();
        var order = a.Get("optimizers", string.Join(',', records.Select(r => r.Optimizer).Distinct())).Split(',');
        var output = new List<string>();
        foreach (var family in LandscapeSuite.Families.Where(f => records.Any(r => r.Family == f.Name)))
        {
            var mine = records.Where(r => r.Family == family.Name).ToList();
            var budgets = mine.SelectMany(r => r.Regrets.Keys).Distinct().Order().ToList();
            output.Add($"#### {family.Name}{(family.HeldOut ? " (held out)" : " (tuning)")}: d = {family.Dimensions}, bounds ({family.Low.ToString(CultureInfo.InvariantCulture)}, {family.High.ToString(CultureInfo.InvariantCulture)}), {family.Pairs} pairs");
            output.Add(string.Empty);
            output.Add("| optimizer | seeds | " + string.Join(" | ", budgets.Select(b => $"@{b}")) + " | evals to 0.01 (median) |");
            output.Add("|---|---:|" + string.Concat(budgets.Select(_ => "---:|")) + "---:|");
            foreach (var name in order)
            {
                var runs = mine.Where(r => r.Optimizer == name).ToList();
                if (runs.Count == 0)
                {
                    continue;
                }

                var cells = budgets.Select(b =>
                {
                    var values = runs.Where(r => r.Regrets.ContainsKey(b)).Select(r => r.Regrets[b]).ToList();
                    return values.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{values.Average():F4} ({values.Count(v => v <= 0.01)}/{values.Count})");
                });
                var firsts = runs.Select(r => r.First ?? int.MaxValue).Order().ToList();
                var median = firsts[(firsts.Count - 1) / 2];
                var maxBudget = runs.Max(r => r.Budget);
                output.Add($"| {name} | {runs.Count} | {string.Join(" | ", cells)} | {(median == int.MaxValue ? $"> {maxBudget}" : median.ToString(CultureInfo.InvariantCulture))} |");
            }

            output.Add(string.Empty);
        }

        return string.Join('\n', output);
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Seamless.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? Directory.GetCurrentDirectory();
    }
}
