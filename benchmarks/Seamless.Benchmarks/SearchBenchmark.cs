using System.Diagnostics;
using System.Globalization;
using Seamless.Benchmarks.Landscapes;
using Seamless.Search.Optimizers;

namespace Seamless.Benchmarks;

/// <summary>
/// Optimiser benchmarks: proposal overhead at n completed trials × d dimensions, and sample efficiency on synthetic
/// merge-like landscapes (regret of the recommended point against the optimum, per budget, over seeds), comparing
/// GP log-EI with the original system's GP-UCB (κ = 2.576), a quasi-random design and random search in one run.
/// </summary>
internal static class SearchBenchmark
{
    public static int Run(string[] args)
    {
        var a = new BenchmarkArgs(args);
        if (a.Has("overhead"))
        {
            return Overhead(int.Parse(a.Get("n", "200"), CultureInfo.InvariantCulture), int.Parse(a.Get("d", "52"), CultureInfo.InvariantCulture), a.Get("optimizer", "seamless"));
        }

        if (a.Has("equal-cost"))
        {
            return EqualCost(a);
        }

        // Dimensions of the synthetic merge landscape, or "h6" for the standard Hartmann-6 function.
        var dims = a.Get("dims", "18").Split(',').ToList();
        var budgets = a.Get("budgets", "25,50,100").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var seeds = int.Parse(a.Get("seeds", "3"), CultureInfo.InvariantCulture);

        // --seed-from splits a long run over processes (seeds k … k + seeds − 1); the per-seed lines on stderr combine.
        var seedFrom = int.Parse(a.Get("seed-from", "1"), CultureInfo.InvariantCulture);
        var optimizers = new (string Name, Func<IOptimizer> Make)[]
        {
            ("gp", () => new BayesianOptimizer()),
            ("gp-logei", () => new BayesianOptimizer(BayesianOptimizerOptions.SurfaceSteps)),
            ("gp-ucb κ=2.576", () => new BayesianOptimizer(new BayesianOptimizerOptions { Acquisition = Acquisition.UpperConfidenceBound, InitialPoints = 5, TrustRegion = false, Additive = false })),
            ("quasirandom", () => new QuasiRandomSearch()),
            ("random", () => new RandomSearch()),
            ("gp-logei plain", () => new BayesianOptimizer(BayesianOptimizerOptions.SurfaceSteps with { ExploitEvery = 0 })),
            ("gp-logei mean/3", () => new BayesianOptimizer(BayesianOptimizerOptions.SurfaceSteps with { Surface = false })),
            ("gp-logei track", () => new BayesianOptimizer(BayesianOptimizerOptions.SurfaceSteps with { Gate = SurfaceGate.TrackRecord })),
        };
        if (a.Get("optimizers", "") is { Length: > 0 } only)
        {
            var names = only.Split(',');
            optimizers = optimizers.Where(o => names.Contains(o.Name.Split(' ')[0] == o.Name ? o.Name : o.Name.Replace(' ', '+'), StringComparer.Ordinal) || (o.Name.StartsWith("gp-ucb", StringComparison.Ordinal) && names.Contains("gp-ucb", StringComparer.Ordinal))).ToArray();
        }

        var lines = new List<string> { $"### Sample efficiency ({seeds} seeds, binomial noise n = 20 000, {DateTime.UtcNow:yyyy-MM-dd})", string.Empty };
        foreach (var d in dims)
        {
            lines.Add(d == "h6"
                ? "Hartmann-6 (noise σ 0.01): mean regret of the recommended point, and runs within 0.01 of the optimum; median evaluations to get there"
                : $"d = {d}: mean regret (optimum − true accuracy of the recommended point), and runs within 0.01 of the optimum; median evaluations to get there");
            lines.Add(string.Empty);
            lines.Add("| optimizer | " + string.Join(" | ", budgets.Select(b => $"{b} evals")) + " | evals to 0.01 (median) | seconds |");
            lines.Add("|---|" + string.Concat(budgets.Select(_ => "---:|")) + "---:|---:|");
            foreach (var (name, make) in optimizers)
            {
                var regrets = budgets.ToDictionary(b => b, _ => new List<double>());
                var reached = new List<int>();
                var clock = Stopwatch.StartNew();
                for (var seed = seedFrom; seed < seedFrom + seeds; seed++)
                {
                    ILandscape landscape = d == "h6" ? new Hartmann6() : new SyntheticLandscape(int.Parse(d, CultureInfo.InvariantCulture), seed);
                    var dimensions = landscape.Dimensions;
                    var noise = new Random(seed * 7919);
                    var optimizer = make();
                    var observations = new List<Observation>();
                    var first = int.MaxValue;
                    while (observations.Count < budgets[^1])
                    {
                        var x = optimizer.Ask(dimensions, observations, [], 1, seed)[0];
                        var y = landscape.Observe(x, noise);
                        observations.Add(new Observation(x, y, landscape.NoiseVariance(y)));

                        // The recommendation is checked after every evaluation (first time within 0.01) and at each budget.
                        var budget = regrets.TryGetValue(observations.Count, out var list);
                        if (budget || first == int.MaxValue)
                        {
                            var regret = landscape.Optimum - landscape.Accuracy(optimizer.Incumbent(observations).Point);
                            list?.Add(regret);
                            if (regret <= 0.01 && first == int.MaxValue)
                            {
                                first = observations.Count;
                            }
                        }
                    }

                    reached.Add(first);
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name} d={d} seed {seed}: first within 0.01 after {(first == int.MaxValue ? "-" : first.ToString(CultureInfo.InvariantCulture))}; regrets {string.Join(" / ", budgets.Select(b => regrets[b][^1].ToString("F4", CultureInfo.InvariantCulture)))}"));
                }

                reached.Sort();
                var median = reached[(reached.Count - 1) / 2];
                lines.Add($"| {name} | " + string.Join(" | ", budgets.Select(b => $"{regrets[b].Average():F4} ({regrets[b].Count(r => r <= 0.01)}/{seeds})")) + $" | {(median == int.MaxValue ? $"> {budgets[^1]}" : median.ToString(CultureInfo.InvariantCulture))} | {clock.Elapsed.TotalSeconds:F0} |");
                Console.Error.WriteLine(lines[^1]);
            }

            lines.Add(string.Empty);
        }

        var text = string.Join('\n', lines);
        Console.WriteLine(text);
        File.AppendAllText(Path.Combine(a.Work, "results.md"), text + "\n\n");
        return 0;
    }

    /// <summary>
    /// Equal cost in images: full-fidelity GP search with C evaluations against multi-fidelity GP search (explore at
    /// fidelity 0.25, promote a quarter to full) spending the same C full-evaluation equivalents. Regret is of the
    /// recommended fully evaluated point.
    /// </summary>
    private static int EqualCost(BenchmarkArgs a)
    {
        var d = int.Parse(a.Get("d", "18"), CultureInfo.InvariantCulture);
        var seeds = int.Parse(a.Get("seeds", "3"), CultureInfo.InvariantCulture);
        var costs = a.Get("costs", "25,50").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        const double low = 0.25, promote = 0.25;
        var rows = new List<string>();
        foreach (var multi in new[] { false, true })
        {
            var regrets = costs.ToDictionary(c => c, _ => new List<double>());
            var evaluations = costs.ToDictionary(c => c, _ => new List<int>());
            foreach (var cost in costs)
            {
                for (var seed = 1; seed <= seeds; seed++)
                {
                    var landscape = new SyntheticLandscape(d, seed);
                    var noise = new Random(seed * 7919);
                    var optimizer = new BayesianOptimizer();
                    var observations = new List<(Observation O, double Fidelity)>();
                    double spent = 0;
                    while (spent < cost - 1e-9)
                    {
                        var lows = observations.Where(o => o.Fidelity < 1).ToList();
                        var fulls = observations.Where(o => o.Fidelity >= 1).ToList();
                        double[] x;
                        double fidelity;
                        var promotion = multi && fulls.Count < Math.Floor(lows.Count * promote)
                            ? lows.OrderByDescending(o => o.O.Value).Select(o => o.O.Point).FirstOrDefault(p => !fulls.Any(f => f.O.Point.SequenceEqual(p)))
                            : null;
                        if (promotion is not null)
                        {
                            (x, fidelity) = (promotion, 1);
                        }
                        else
                        {
                            x = optimizer.Ask(d, observations.Select(o => o.O).ToList(), [], 1, seed)[0];
                            fidelity = multi ? low : 1;
                        }

                        var pairs = (long)(20_000 * fidelity);
                        var p = landscape.Accuracy(x);
                        var g = Math.Sqrt(-2 * Math.Log(1 - noise.NextDouble())) * Math.Cos(2 * Math.PI * noise.NextDouble());
                        var y = Math.Clamp(p + (g * Math.Sqrt(p * (1 - p) / pairs)), 0, 1);
                        observations.Add((new Observation(x, y, y * (1 - y) / pairs), fidelity));
                        spent += fidelity;
                    }

                    var all = observations.Select(o => o.O).ToList();
                    var candidates = observations.Where(o => o.Fidelity >= 1).Select(o => o.O).ToList();
                    var model = GaussianProcess.Fit(all);
                    var chosen = (candidates.Count > 0 ? candidates : all).MaxBy(o => model.Predict(o.Point).Mean)!;
                    regrets[cost].Add(landscape.Optimum - landscape.Accuracy(chosen.Point));
                    evaluations[cost].Add(observations.Count);
                }
            }

            rows.Add($"| {(multi ? "multi-fidelity (0.25, promote 25 %)" : "full fidelity")} | " + string.Join(" | ", costs.Select(c => $"{regrets[c].Average():F4} ({evaluations[c].Average():F0} evals)")) + " |");
            Console.Error.WriteLine(rows[^1]);
        }

        var text = $"### Equal cost (d = {d}, {seeds} seeds, {DateTime.UtcNow:yyyy-MM-dd}): mean regret of the recommended fully evaluated point\n\n| search | " +
            string.Join(" | ", costs.Select(c => $"cost {c}")) + " |\n|---|" + string.Concat(costs.Select(_ => "---:|")) + "\n" + string.Join("\n", rows);
        Console.WriteLine(text);
        File.AppendAllText(Path.Combine(a.Work, "results.md"), text + "\n\n");
        return 0;
    }

    private static int Overhead(int n, int d, string optimizerName)
    {
        var landscape = new SyntheticLandscape(d, 1);
        var random = new Random(1);
        var observations = Enumerable.Range(0, n).Select(_ =>
        {
            var x = Enumerable.Range(0, d).Select(_ => random.NextDouble()).ToArray();
            return new Observation(x, landscape.Observe(x, random));
        }).ToList();
        var fitClock = Stopwatch.StartNew();
        var cold = GaussianProcess.Fit(observations);
        var coldFit = fitClock.Elapsed.TotalSeconds;
        fitClock.Restart();
        var warm = GaussianProcess.Fit(observations, cold.LogParameters);
        var warmFit = fitClock.Elapsed.TotalSeconds;
        fitClock.Restart();
        for (var i = 0; i < 3000; i++)
        {
            warm.Predict(observations[i % n].Point);
        }

        var predict = fitClock.Elapsed.TotalSeconds;
        Console.WriteLine($"GP fit cold {coldFit:F2} s, warm {warmFit:F2} s; 3000 predictions {predict:F2} s");
        fitClock.Restart();
        var additiveCold = GaussianProcess.Fit(observations, additive: true);
        var additiveColdFit = fitClock.Elapsed.TotalSeconds;
        fitClock.Restart();
        var additiveWarm = GaussianProcess.Fit(observations, additiveCold.LogParameters, additive: true);
        var additiveWarmFit = fitClock.Elapsed.TotalSeconds;
        fitClock.Restart();
        for (var i = 0; i < 3000; i++)
        {
            additiveWarm.Predict(observations[i % n].Point);
        }

        Console.WriteLine($"additive GP fit cold {additiveColdFit:F2} s, warm {additiveWarmFit:F2} s; 3000 predictions {fitClock.Elapsed.TotalSeconds:F2} s");
        var optimizer = SuiteBenchmark.Make(optimizerName);
        var times = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            var clock = Stopwatch.StartNew();
            var x = optimizer.Ask(d, observations, [], 1, i)[0];
            times.Add(clock.Elapsed.TotalSeconds);
            observations.Add(new Observation(x, landscape.Observe(x, random)));
        }

        var text = $"### Proposal overhead of {optimizerName}, {n} completed trials × {d} dimensions ({Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd})\n\n" +
            $"first ask (cold hyperparameter fit): {times[0]:F2} s; next asks (warm-started fit): {string.Join(", ", times.Skip(1).Select(t => t.ToString("F2", CultureInfo.InvariantCulture)))} s";
        Console.WriteLine(text);
        return 0;
    }
}
