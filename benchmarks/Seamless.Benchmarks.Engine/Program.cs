using Seamless.Benchmarks;

// The embedded engine's benchmark; each figure is measured in a child process with its own peak RSS.
// Usage: see docs/benchmarks.md.
return args.FirstOrDefault() switch
{
    "engine" => EngineBenchmark.Run(args[1..]),
    "child" => EngineBenchmark.Child(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Seamless.Benchmarks.Engine engine [--work DIR] [--images N] [--repeats N] [--skip-full]");
    return 2;
}
