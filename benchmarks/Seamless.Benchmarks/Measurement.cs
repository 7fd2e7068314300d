using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Seamless.Benchmarks;

/// <summary>Wall time and peak resident memory of one measured run (a child process).</summary>
internal sealed record Measurement(double Seconds, long PeakRssBytes, string Detail = "")
{
    public double PeakRssMiB => PeakRssBytes / 1048576.0;

    public static long PeakRss()
    {
        // VmHWM: the peak resident set size of this process, from the kernel.
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return -1;
    }

    /// <summary>Runs this benchmark executable as a child with <c>child ARGS</c> and reads its JSON result line.</summary>
    public static Measurement InChild(params string[] args)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (self.EndsWith("dotnet", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(typeof(Measurement).Assembly.Location);
        }

        start.ArgumentList.Add("child");
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"child {string.Join(' ', args)} failed with exit code {process.ExitCode}: {output}");
        }

        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        return JsonSerializer.Deserialize<Measurement>(last)!;
    }

    public static void Print(Measurement m) => Console.WriteLine(JsonSerializer.Serialize(m));

    public static Measurement Time(Action action, string detail = "")
    {
        var clock = Stopwatch.StartNew();
        action();
        return new Measurement(clock.Elapsed.TotalSeconds, PeakRss(), detail);
    }
}
