using CsCheck;
using Seamless.Errors;
using Seamless.Search.Merges;
using Seamless.Search.Merges.Configuration;
using Seamless.Search.Studies;

namespace Seamless.Tests.Merges.Configuration;

public sealed class SearchDocumentReaderTests
{
    private static (SearchDocument Document, List<string> Problems) Parse(string yaml)
    {
        var problems = new List<string>();
        return (SearchDocumentReader.Parse(yaml, "s.yaml", problems), problems);
    }

    [Fact]
    public void Parse_EveryKeyWritten_TypedValues()
    {
        var (d, problems) = Parse("""
            name: night
            storage: postgresql://u@db/s
            base: a.safetensors
            models: [b.safetensors, c.safetensors]
            output_dtype: bf16
            block_map: {time_embed: base}
            blocks: [IN00-IN03, M00]
            bounds: [0, 0.5]
            block_bounds: {M00: [-0.1, 0.2]}
            fixed: {"b:IN00-IN03": 0.125}
            probes: [zeros, models, {"c:M00": 0.25}]
            objective: {command: python3 score.py, timeout: 90}
            optimizer: random
            budget: 40
            seed: -3
            work: w
            constraint: sum_le_1
            keep_best: 2
            fidelity: {low: 0.25, promote: 0.5}
            """);

        Assert.Empty(problems);
        Assert.Equal(("night", "postgresql://u@db/s", "a.safetensors"), (d.Name, d.Storage, d.Base));
        Assert.Equal(["b.safetensors", "c.safetensors"], d.Models!);
        Assert.Equal("base", d.BlockMap!["time_embed"]);
        Assert.Equal(BlockSelection.Of("IN00-IN03", "M00"), d.Blocks);
        Assert.Equal(new WeightBounds(0, 0.5), d.Bounds);
        Assert.Equal(new WeightBounds(-0.1, 0.2), d.BlockBounds!["M00"]);
        Assert.Equal(0.125, d.Fixed!["b:IN00-IN03"]);
        Assert.Equal([ProbeSpec.Of("zeros"), ProbeSpec.Of("models"), ProbeSpec.At(new Dictionary<string, double> { ["c:M00"] = 0.25 })], d.Probes!);
        Assert.Equal(new ObjectiveDocument("python3 score.py", 90, null), d.Objective);
        Assert.Equal((40, -3, 2), (d.Budget, d.Seed, d.KeepBest));
        Assert.Equal(new FidelityPlan(0.25, 0.5), d.Fidelity);
    }

    [Fact]
    public void Parse_EveryValueInTheWrongShape_EachReportedNothingThrown()
    {
        var (d, problems) = Parse("""
            name: [a, b]
            models: b.safetensors
            block_map: in00
            blocks: {IN00: 1}
            bounds: [0.5, 0.1]
            block_bounds: [0, 1]
            fixed: {"b:M00": high}
            probes: [zeros, nothing, {"b:M00": x}]
            objective: {command: x, tag_accuracy: {backend: toy}, timout: 5, timeout: -1}
            budget: 0
            seed: 1.5
            keep_best: [2]
            rounds: {pool: c.safetensors, count: many, next_base: worst, size: 3}
            fidelity: {low: 2}
            colour: blue
            """);

        string[] expected =
        [
            "'name' is a single value, not a list",
            "'models' is a list of model files",
            "block_map must be a mapping",
            "'blocks' is 'all', 'unet14'",
            "bounds [0.5, 0.1] is reversed or empty",
            "'block_bounds' is a map of groups",
            "fixed 'b:M00' is not a number",
            "probe 'nothing' is neither",
            "probe value 'b:M00: x' is not a number",
            "unknown key 'objective.timout'",
            "objective timeout '-1' is not a positive number",
            "either a command or tag_accuracy, not both",
            "budget '0' is not an integer ≥ 1",
            "seed '1.5' is not an integer",
            "keep_best 'a list' is not an integer ≥ 0",
            "'rounds.pool' is a list of model files",
            "rounds.count 'many' is not an integer ≥ 1",
            "rounds.next_base 'worst' is not recommended or best_observed",
            "unknown key 'rounds.size'",
            "fidelity low 2 is not in (0, 1)",
            "unknown key 'colour'",
        ];
        foreach (var e in expected)
        {
            Assert.True(problems.Any(p => p.Contains(e, StringComparison.Ordinal)), $"missing '{e}' in: {string.Join(" | ", problems)}");
        }

        Assert.Equal(expected.Length, problems.Count);
        Assert.Null(d.Models);
        Assert.Null(d.Budget);
    }

    [Theory]
    [InlineData("base: [unclosed", "not valid YAML/JSON")]
    [InlineData("- a\n- b", "a search configuration is a mapping")]
    [InlineData("just text", "a search configuration is a mapping")]
    public void Parse_NotAConfiguration_OneErrorNamingTheFile(string yaml, string expected)
    {
        var e = Assert.Throws<RecipeException>(() => Parse(yaml));
        Assert.Contains("s.yaml", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingFile_SaysSo()
    {
        var path = Path.Combine(Path.GetTempPath(), $"seamless-none-{Guid.NewGuid():N}.yaml");
        var e = Assert.Throws<RecipeException>(() => SearchDocumentReader.Read(path, []));
        Assert.Contains("search configuration not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HostileText_OnlyEverARecipeError()
    {
        // Fragments of configurations shuffled into any order and nesting: a document or a RecipeException, nothing else.
        var fragment = Gen.OneOf("name: x", "models: [a, b]", "blocks:", "  - IN00", "bounds: [0, 1]", "probes: [zeros, {a: 1}]", "objective:",
            "  command: echo", "  tag_accuracy: {url: [a, b]}", "rounds: {pool: [p]}", "fidelity: {low: 0.5}", "budget: 9", "{", "]", ": :", "- - -",
            "\"unterminated", "fixed: {a: nan}", "seed: 99999999999999999999", "keep_best: -1", "  ", "\t", "&a x", "*a", "!!binary AA==", "? complex");
        Gen.Select(fragment.Array[0, 12], parts => string.Join('\n', parts)).Sample(text =>
        {
            try
            {
                Parse(text);
            }
            catch (RecipeException)
            {
                // Named and explained; the point is that nothing else escapes.
            }
        }, iter: 2000);
    }
}
