using CsCheck;
using Seamless.Search.Merges;
using Seamless.Search.Merges.Configuration;
using Seamless.Search.Studies;

namespace Seamless.Tests.Merges.Configuration;

public sealed class SearchDocumentWriterTests
{
    // Strings YAML is apt to read as something else: numbers, booleans, null, flow characters, comments, anchors.
    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.OneOf("null", "~", "true", "no", "1e5", "0x1F", "-", "[a]", "{b: 1}", "a: b", "# not a comment", "&anchor", "*alias", "<img src=x onerror=alert(1)>.safetensors",
            "é ü 模型", "quote\"d", "it's", "tab\there", "line\nbreak", " padded ", "b:IN04", "models/c.safetensors"),
        Gen.String[Gen.Char["az09:#-_ ./"], 1, 12]);

    private static readonly Gen<double> Real = Gen.OneOf(Gen.Double[-1e6, 1e6], Gen.OneOf(0.0, -0.05, 0.25, 1e-300, 123456789.123456789));

    private static readonly Gen<WeightBounds> Bounds = Gen.Select(Real, Gen.Double[1e-9, 10], (low, width) => new WeightBounds(low, low + width)).Where(b => b.Low < b.High);

    private static Gen<IReadOnlyDictionary<string, T>> Map<T>(Gen<T> values) =>
        Gen.Select(Gen.Select(Text, values).Array[0, 4], pairs => (IReadOnlyDictionary<string, T>)pairs.GroupBy(p => p.Item1).ToDictionary(g => g.Key, g => g.First().Item2, StringComparer.Ordinal));

    private static Gen<T?> Maybe<T>(Gen<T> gen)
        where T : class =>
        Gen.Frequency((1, None<T?>()), (3, gen.Select(x => (T?)x)));

    private static Gen<T> None<T>()
    {
        T none = default!;
        return Gen.Const(none);
    }

    private static Gen<T?> MaybeValue<T>(Gen<T> gen)
        where T : struct =>
        Gen.Frequency((1, None<T?>()), (3, gen.Select(x => (T?)x)));

    private static readonly Gen<BlockSelection> Blocks = Gen.OneOf(
        Gen.OneOf(BlockSelection.All, new BlockSelection(OriginalSearchSpace.Name, [])),
        Text.Array[0, 5].Select(e => new BlockSelection(null, e)));

    private static readonly Gen<ProbeSpec> Probe = Gen.OneOf(Gen.OneOf(ProbeSpec.Of(ProbeSpec.Zeros), ProbeSpec.Of(ProbeSpec.Models)), Map(Real).Select(ProbeSpec.At));

    private static readonly Gen<ObjectiveDocument> Objective = Gen.OneOf(
        Gen.Select(Text, MaybeValue(Gen.Double[0.001, 1e5]), (c, t) => new ObjectiveDocument(c, t, null)),
        Map(Text.Array[0, 3].Select(a => (IReadOnlyList<string>)a)).Select(o => new ObjectiveDocument(null, null, o)));

    private static readonly Gen<RoundsDocument> Rounds = Gen.Select(Text.Array[1, 3], MaybeValue(Gen.Int[1, 50]), MaybeValue(Gen.Int[1, 500]), Maybe(Text), MaybeValue(Gen.OneOf(NextBaseRule.Recommended, NextBaseRule.BestObserved)),
        (pool, count, trials, folder, next) => new RoundsDocument(pool, count, trials, folder, next));

    private static readonly Gen<SearchDocument> Document =
        Gen.Select(
            Gen.Select(Maybe(Text), Maybe(Text), Maybe(Text), Maybe(Text.Array[1, 4]), Maybe(Text), Maybe(Gen.OneOf("fp16", "bf16", "fp32"))),
            Gen.Select(Maybe(Gen.OneOf<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["time_embed"] = "base", ["vae"] = "own" }, new Dictionary<string, string> { ["out"] = "last_out" })), Maybe(Blocks), MaybeValue(Bounds), Maybe(Map(Bounds)), Maybe(Map(Real))),
            Gen.Select(Maybe(Probe.Array[0, 4]), Maybe(Objective), Maybe(Text), MaybeValue(Gen.Int[1, 10000]), MaybeValue(Gen.Int), Maybe(Text)),
            Gen.Select(Maybe(Text), MaybeValue(Gen.Int[0, 20]), Maybe(Rounds), Maybe(Gen.Select(Gen.Double[0.01, 0.99], Gen.Double[0.01, 1.0], (l, p) => new FidelityPlan(l, p)))),
            (a, b, c, e) => new SearchDocument
            {
                Name = a.Item1, Storage = a.Item2, Base = a.Item3, Models = a.Item4, Method = a.Item5, OutputDtype = a.Item6,
                BlockMap = b.Item1, Blocks = b.Item2, Bounds = b.Item3, BlockBounds = b.Item4, Fixed = b.Item5,
                Probes = c.Item1, Objective = c.Item2, Optimizer = c.Item3, Budget = c.Item4, Seed = c.Item5, Work = c.Item6,
                Constraint = e.Item1, KeepBest = e.Item2, Rounds = e.Item3, Fidelity = e.Item4,
            });

    [Fact]
    public void Write_ThenRead_SameDocumentAndNoProblem()
    {
        Document.Sample(document =>
        {
            var yaml = SearchDocumentWriter.Write(document);
            var problems = new List<string>();
            var back = SearchDocumentReader.Parse(yaml, "s.yaml", problems);
            Assert.True(problems.Count == 0, string.Join(" | ", problems) + "\n" + yaml);
            Assert.True(document.Equals(back), yaml);
        }, iter: 500);
    }

    [Fact]
    public void Write_EmptyDocument_EmptyMapping()
    {
        var back = SearchDocumentReader.Parse(SearchDocumentWriter.Write(new SearchDocument()), "s.yaml", []);
        Assert.Equal(new SearchDocument(), back);
    }
}
