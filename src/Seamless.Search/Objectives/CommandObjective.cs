using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Seamless.Search.Objectives;

/// <summary>
/// Scores a trial with an external program run through <c>/bin/sh -c</c>. It receives
/// <c>{"trial": N, "params": {…}, "model": path-or-null, "fidelity": f}</c> on stdin and prints a number, or
/// <c>{"value": …, "categories": {…}, "n": …}</c>, as its last line of stdout. A non-zero exit, a timeout or
/// anything else printed fails the trial with the program's stderr tail.
/// </summary>
public sealed class CommandObjective(string command, TimeSpan? timeout = null) : IObjective
{
    private const int TailLength = 400;

    public string Command { get; } = command;

    public Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, double fidelity, CancellationToken cancellationToken) =>
        EvaluateAsync(trialNumber, parameters, null, fidelity, cancellationToken);

    /// <summary>The same, with the file the parameters stand for (a merge search's candidate) as <c>"model"</c>.</summary>
    public async Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, string? modelPath, double fidelity, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Command);
        using var process = Process.Start(start) ?? throw new ObjectiveFailedException($"could not start '{Command}'");
        var input = new JsonObject
        {
            ["trial"] = trialNumber,
            ["params"] = new JsonObject(parameters.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["model"] = modelPath,
            ["fidelity"] = fidelity,
        };
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.StandardInput.WriteLineAsync(input.ToJsonString().AsMemory(), cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program may exit without reading its input; its exit code decides.
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t)
        {
            limit.CancelAfter(t);
        }

        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new ObjectiveFailedException($"objective command timed out after {timeout!.Value.TotalSeconds:F0} s");
        }

        var output = await stdout.ConfigureAwait(false);
        var error = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new ObjectiveFailedException($"objective command exited with code {process.ExitCode}: {Tail(error)}");
        }

        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? string.Empty;
        return Parse(last) ?? throw new ObjectiveFailedException($"objective command printed '{Tail(last)}', not a number or {{\"value\": …}}; stderr: {Tail(error)}");
    }

    internal static ObjectiveResult? Parse(string line)
    {
        if (double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return double.IsFinite(number) ? new ObjectiveResult(number) : null;
        }

        try
        {
            var node = JsonNode.Parse(line) as JsonObject;
            if (node?["value"] is not JsonValue v || !v.TryGetValue<double>(out var value) || !double.IsFinite(value))
            {
                return null;
            }

            var categories = node["categories"] is JsonObject c
                ? c.Where(kv => kv.Value is JsonValue).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<double>(), StringComparer.Ordinal)
                : null;
            long? n = node["n"] is JsonValue nv && nv.TryGetValue<long>(out var count) ? count : null;
            double? low = null, high = null;
            if (node["interval"] is JsonArray { Count: 2 } interval)
            {
                low = interval[0]?.GetValue<double>();
                high = interval[1]?.GetValue<double>();
            }

            return new ObjectiveResult(value, categories, n, low, high);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static string Tail(string text)
    {
        var t = text.Trim().ReplaceLineEndings(" ");
        return t.Length <= TailLength ? t : "…" + t[^TailLength..];
    }
}
