using Seamless.Cli.Infrastructure;

namespace Seamless.Tests.Commands;

public sealed class ListOptionsTests
{
    [Fact]
    public void Expand_SeveralValuesAfterOneFlag_OneFlagPerValue()
    {
        Assert.Equal(
            ["bench", "--models", "a.safetensors", "--models", "b.safetensors", "--models", "c.safetensors", "--backend", "toy"],
            ListOptions.Expand(["bench", "--models", "a.safetensors", "b.safetensors", "c.safetensors", "--backend", "toy"]));
    }

    [Fact]
    public void Expand_ShortFlagRepeatedAndMixed_Kept()
    {
        Assert.Equal(
            ["bench", "-m", "a", "-m", "b", "--models", "c", "--models", "d"],
            ListOptions.Expand(["bench", "-m", "a", "b", "--models", "c", "d"]));
    }

    [Fact]
    public void Expand_SingleValueOptionAndOtherVerbs_Untouched()
    {
        // --grid is a list on 'report' but one file on 'bench'; --out is never a list.
        string[] bench = ["bench", "--grid", "g.png", "extra", "--models", "a"];
        Assert.Equal(bench, ListOptions.Expand(bench));
        Assert.Equal(["report", "s", "--grid", "a.png", "--grid", "b.png"], ListOptions.Expand(["report", "s", "--grid", "a.png", "b.png"]));
        string[] merge = ["merge", "recipe.yaml", "--out", "m.safetensors"];
        Assert.Equal(merge, ListOptions.Expand(merge));
    }

    [Fact]
    public void Expand_SubVerbAndWorkerUrls_Expanded()
    {
        Assert.Equal(
            ["worker", "s", "--url", "http://a", "--url", "http://b", "--models-dir", "/m"],
            ListOptions.Expand(["worker", "s", "--url", "http://a", "http://b", "--models-dir", "/m"]));
        string[] study = ["study", "list", "--storage", "x.db"];
        Assert.Equal(study, ListOptions.Expand(study));
    }
}
