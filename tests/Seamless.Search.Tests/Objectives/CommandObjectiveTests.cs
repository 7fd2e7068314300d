using Seamless.Search.Objectives;

namespace Seamless.Tests.Objectives;

public sealed class CommandObjectiveTests
{
    private static readonly Dictionary<string, double> Params = new() { ["x"] = 0.25 };

    [Fact]
    public async Task Evaluate_ProgramReadsParamsFromStdin()
    {
        // The program scores 3·x, reading x from the JSON on its stdin; it prints a stray line first, and its last line
        // (a JSON result) is the score.
        var objective = new CommandObjective("""x=$(sed -E 's/.*"x": *([0-9.eE+-]+).*/\1/'); echo 0.5; echo "{\"value\": $(awk -v x="$x" 'BEGIN { printf "%.17g", 3 * x }'), \"categories\": {\"hair\": 0.9}, \"n\": 100}" """);
        var result = await objective.EvaluateAsync(3, Params, null, 1, CancellationToken.None);
        Assert.Equal(0.75, result.Value, 12);
        Assert.Equal(0.9, result.Categories!["hair"]);
        Assert.Equal(0.75 * 0.25 / 100, result.NoiseVariance!.Value, 12);
    }

    [Fact]
    public async Task Evaluate_InputHasTrialParamsAndModel()
    {
        var file = Path.GetTempFileName();
        try
        {
            var objective = new CommandObjective($"cat > '{file}'; echo 1");
            await objective.EvaluateAsync(7, Params, "/m/x.safetensors", 1, CancellationToken.None);
            var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file)).RootElement;
            Assert.Equal(7, json.GetProperty("trial").GetInt32());
            Assert.Equal(0.25, json.GetProperty("params").GetProperty("x").GetDouble());
            Assert.Equal("/m/x.safetensors", json.GetProperty("model").GetString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Evaluate_NonZeroExit_FailsWithStderrTail()
    {
        var e = await Assert.ThrowsAsync<ObjectiveFailedException>(() => new CommandObjective("echo 'GPU on fire' >&2; exit 3").EvaluateAsync(0, Params, null, 1, CancellationToken.None));
        Assert.Contains("code 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("GPU on fire", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo hello")]
    [InlineData("echo '{\"score\": 1}'")]
    [InlineData("echo nan")]
    [InlineData("true")]
    public async Task Evaluate_Garbage_Fails(string command) =>
        await Assert.ThrowsAsync<ObjectiveFailedException>(() => new CommandObjective(command).EvaluateAsync(0, Params, null, 1, CancellationToken.None));

    [Fact]
    public async Task Evaluate_Timeout_FailsAndKillsProgram()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<ObjectiveFailedException>(() => new CommandObjective("sleep 30; echo 1", TimeSpan.FromMilliseconds(300)).EvaluateAsync(0, Params, null, 1, CancellationToken.None));
        Assert.Contains("timed out", e.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }
}
