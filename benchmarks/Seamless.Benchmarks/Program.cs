using Seamless.Benchmarks;

// Benchmarks run measured work in child processes so each figure has its own peak RSS.
// Usage: see docs/benchmarks.md.
return args.FirstOrDefault() switch
{
    "merge" => MergeBenchmark.Run(args[1..]),
    "contact" => ContactBenchmark.Run(args[1..]),
    "child" => ChildTasks.Run(args[1..]),
    "search" => SearchBenchmark.Run(args[1..]),
    "suite" => SuiteBenchmark.Run(args[1..]),
    "tagger" => TaggerBenchmark.Run(args[1..]),
    "report" => ReportBenchmark.Run(args[1..]),
    "scaleout" => ScaleOutBenchmark.Run(args[1..]),
    "e2e" => EndToEndBenchmark.Run(args[1..]),
    "dashboard" => DashboardBenchmark.Run(args[1..]),
    "wholesearch" => WholeSearchBenchmark.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Seamless.Benchmarks merge|contact|search|suite|tagger|report|scaleout|e2e|dashboard|wholesearch [--arch sd15|sdxl] [--work DIR] [--skip-reference]");
    return 2;
}
