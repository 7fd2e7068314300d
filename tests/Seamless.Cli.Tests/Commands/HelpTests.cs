namespace Seamless.Tests.Commands;

/// <summary>Every verb's and sub-verb's help renders: descriptions are Spectre markup, where "[x]" is a style.</summary>
public sealed class HelpTests
{
    /// <summary>The verbs listed under COMMANDS in a help text.</summary>
    private static List<string> Verbs(string help)
    {
        var lines = help.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd() == "COMMANDS:");
        return start < 0
            ? []
            : lines.Skip(start + 1).TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal)).Select(l => l.Trim().Split(' ')[0]).ToList();
    }

    public static TheoryData<string> AllVerbs()
    {
        var data = new TheoryData<string>();
        var root = CliRunner.Run("--help");
        foreach (var verb in Verbs(root.Output))
        {
            data.Add(verb);
            foreach (var sub in Verbs(CliRunner.Run(verb, "--help").Output))
            {
                data.Add($"{verb} {sub}");
            }
        }

        return data;
    }

    [Fact]
    public void Help_Root_ListsEveryVerb()
    {
        var r = CliRunner.Run("--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(
            ["quickstart", "inspect", "merge", "contact", "fabricate", "generate", "bench", "search", "worker", "best", "report", "dashboard", "optimize", "vocab", "protocol", "tagger", "encoder", "study"],
            Verbs(r.Output));
    }

    [Theory]
    [MemberData(nameof(AllVerbs))]
    public void Help_EveryVerb_RendersAndExitsZero(string verb)
    {
        var r = CliRunner.Run([.. verb.Split(' '), "--help"]);
        Assert.True(r.ExitCode == 0, $"{verb} --help exited {r.ExitCode}: {r.Error}");
        Assert.Contains("USAGE:", r.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", r.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, r.Error);
    }

    [Fact]
    public void Help_OptionDescriptionsWithBrackets_ShownLiterally()
    {
        Assert.Contains("[low, high]", CliRunner.Run("optimize", "--help").Output, StringComparison.Ordinal);
        Assert.Contains("[tag]", CliRunner.Run("generate", "--help").Output, StringComparison.Ordinal);
    }
}
