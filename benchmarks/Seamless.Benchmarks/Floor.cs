namespace Seamless.Benchmarks;

/// <summary>
/// The machine's floor for a merge's bytes: read every input once (from the page cache, as the merge does after
/// warm-up) and write plus fsync an output of the merge's size. No merge can beat this I/O.
/// </summary>
internal static class Floor
{
    public static void Run(IReadOnlyList<string> inputs, string output, long outputBytes)
    {
        var buffer = new byte[1 << 20];
        long sink = 0;
        foreach (var input in inputs)
        {
            using var stream = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                sink += buffer[n - 1];
            }
        }

        Array.Fill(buffer, (byte)(sink & 1));
        using (var stream = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        {
            for (long written = 0; written < outputBytes; written += buffer.Length)
            {
                stream.Write(buffer, 0, (int)Math.Min(buffer.Length, outputBytes - written));
            }

            stream.Flush(flushToDisk: true);
        }

        File.Delete(output);
    }
}
