namespace Seamless.Benchmarks;

/// <summary>Tiny option parsing for the benchmark runner (--name value pairs and flags).</summary>
internal sealed class BenchmarkArgs(string[] args)
{
    public string Get(string name, string fallback)
    {
        var i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    public bool Has(string name) => args.Contains("--" + name);

    public string Work => Path.GetFullPath(Get("work", Path.Combine(Path.GetTempPath(), "seamless-bench")));
}
