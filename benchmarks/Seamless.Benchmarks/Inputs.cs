using System.Diagnostics;
using Seamless.Architecture;
using Seamless.Fabrication;

namespace Seamless.Benchmarks;

/// <summary>Full-size fabricated checkpoints, made once per work folder and reused.</summary>
internal static class Inputs
{
    public static List<string> Ensure(string work, string arch, int count)
    {
        Directory.CreateDirectory(work);
        var paths = new List<string>();
        for (var seed = 1; seed <= count; seed++)
        {
            var path = Path.Combine(work, $"{arch}-full-{seed}.safetensors");
            if (!File.Exists(path))
            {
                var clock = Stopwatch.StartNew();
                Fabricator.Fabricate(ArchitectureManifest.Load(arch), FabricationScale.Full, (ulong)seed, path);
                Console.WriteLine($"fabricated {path} ({new FileInfo(path).Length / 1e9:F2} GB) in {clock.Elapsed.TotalSeconds:F0} s");
            }

            paths.Add(path);
        }

        return paths;
    }

    /// <summary>Reads files once so later reads come from the page cache.</summary>
    public static double Warm(IEnumerable<string> paths)
    {
        var clock = Stopwatch.StartNew();
        var buffer = new byte[1 << 20];
        foreach (var path in paths)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            while (stream.Read(buffer) > 0)
            {
            }
        }

        return clock.Elapsed.TotalSeconds;
    }
}
