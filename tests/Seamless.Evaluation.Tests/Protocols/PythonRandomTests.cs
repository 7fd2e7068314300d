using System.Globalization;
using System.Text.Json;
using Seamless.Evaluation.Protocols;

namespace Seamless.Tests.Protocols;

/// <summary>
/// Against draws made by CPython itself (Golden/python_random.json, written by Golden/python_random.py with Debian's
/// python3; the command is in the script): the same seed gives the same numbers and the same samples.
/// </summary>
public sealed class PythonRandomTests
{
    private static readonly JsonElement Golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Protocols", "Golden", "python_random.json"))).RootElement;

    [Fact]
    public void NextUInt32_Seeds_AsCPythonGetrandbits32()
    {
        foreach (var seed in Golden.GetProperty("uint32").EnumerateObject())
        {
            var random = new PythonRandom(long.Parse(seed.Name, CultureInfo.InvariantCulture));
            Assert.Equal(seed.Value.EnumerateArray().Select(v => v.GetUInt32()), Enumerable.Range(0, 8).Select(_ => random.NextUInt32()));
        }
    }

    [Fact]
    public void Sample_SmallAndLargePopulations_AsCPython()
    {
        var cases = Golden.GetProperty("samples").EnumerateArray().ToList();
        Assert.True(cases.Count >= 30);
        foreach (var c in cases)
        {
            var random = new PythonRandom(c.GetProperty("seed").GetInt64());
            var population = Enumerable.Range(0, c.GetProperty("population").GetInt32()).ToList();
            var k = c.GetProperty("k").GetInt32();
            foreach (var draw in c.GetProperty("draws").EnumerateArray())
            {
                Assert.Equal(draw.EnumerateArray().Select(v => v.GetInt32()), random.Sample(population, k));
            }
        }
    }

    [Fact]
    public void Sample_KBeyondThePopulation_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PythonRandom(0).Sample([1, 2, 3], 4));
}
