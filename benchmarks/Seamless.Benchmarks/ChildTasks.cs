using Seamless.Contact;
using Seamless.Merging;

namespace Seamless.Benchmarks;

/// <summary>The measured units, each run in its own process by <see cref="Measurement.InChild"/>.</summary>
internal static class ChildTasks
{
    public static int Run(string[] args)
    {
        var a = new BenchmarkArgs(args);
        var output = a.Get("out", string.Empty);
        var measurement = args[0] switch
        {
            "seamless-merge" => Measurement.Time(() => new CheckpointMerger().Merge(RecipeLoader.Load(a.Get("recipe", string.Empty)), output)),
            "reference-merge" => Measurement.Time(() => ReferenceMerge.Run(RecipeLoader.Load(a.Get("recipe", string.Empty)), output)),
            "floor" => Measurement.Time(() => Floor.Run(a.Get("inputs", string.Empty).Split(','), output, long.Parse(a.Get("bytes", "0"), System.Globalization.CultureInfo.InvariantCulture))),
            "contact" => Measurement.Time(() => new ContactMerger().Merge(
                new ContactRequest(a.Get("a", string.Empty), a.Get("b", string.Empty), new LowRankOptions(int.Parse(a.Get("rank", "4"), System.Globalization.CultureInfo.InvariantCulture))), output)),
            _ => throw new ArgumentException($"unknown child task {args[0]}"),
        };
        Measurement.Print(measurement);
        return 0;
    }
}
