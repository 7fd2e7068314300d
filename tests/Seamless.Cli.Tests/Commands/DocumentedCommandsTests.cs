using System.Text;
using Seamless.Cli.Infrastructure;

namespace Seamless.Tests.Commands;

/// <summary>Every command line shown in README.md and docs/*.md is one the tool accepts.</summary>
public sealed class DocumentedCommandsTests
{
    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Seamless.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    /// <summary>
    /// The seamless command lines in the documents' code blocks, as the tool would get them: continuation lines joined,
    /// comments dropped, "[--opt x]" as written without brackets, "a|b" as its first choice, "…" left out.
    /// </summary>
    public static TheoryData<string, string> Commands()
    {
        var data = new TheoryData<string, string>();
        var root = Root();
        foreach (var path in new[] { Path.Combine(root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md")))
        {
            var inBlock = false;
            var pending = new StringBuilder();
            foreach (var raw in File.ReadAllLines(path))
            {
                if (raw.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    inBlock = !inBlock;
                    continue;
                }

                if (!inBlock)
                {
                    continue;
                }

                var line = raw.Trim();
                if (pending.Length == 0)
                {
                    line = line.StartsWith("$ ", StringComparison.Ordinal) ? line[2..] : line;
                    line = line.Replace("dotnet run --project src/Seamless.Cli --", "seamless", StringComparison.Ordinal);
                    if (!line.StartsWith("seamless ", StringComparison.Ordinal))
                    {
                        continue;
                    }
                }

                var continued = line.EndsWith('\\');
                pending.Append(continued ? line[..^1] : line).Append(' ');
                if (!continued)
                {
                    data.Add($"{Path.GetFileName(path)}: {pending.ToString().Trim()}", pending.ToString());
                    pending.Clear();
                }
            }
        }

        return data;
    }

    internal static string[] Arguments(string line)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        var quoted = false;
        foreach (var c in line)
        {
            if (quote is null && c == '#' && current.Length == 0)
            {
                break;
            }

            if (quote is null && c is '"' or '\'')
            {
                quote = c;
                quoted = true;
            }
            else if (c == quote)
            {
                quote = null;
            }
            else if (quote is null && char.IsWhiteSpace(c))
            {
                Flush();
            }
            else
            {
                current.Append(c);
            }
        }

        Flush();
        return [.. tokens.Skip(1)];

        void Flush()
        {
            var token = current.ToString();
            current.Clear();
            if (token.Length == 0 && !quoted)
            {
                return;
            }

            if (!quoted)
            {
                token = token.Trim('[', ']');
                if (token.Contains('|', StringComparison.Ordinal) && !token.Contains("://", StringComparison.Ordinal))
                {
                    token = token.Split('|')[0];
                }
            }

            quoted = false;
            if (token != "…")
            {
                tokens.Add(token);
            }
        }
    }

    [Fact]
    public void Commands_TheDocuments_HaveManyCommandLines() => Assert.True(Commands().Count >= 25, $"only {Commands().Count} command lines found");

    [Fact]
    public void Arguments_DocumentationSyntax_AsTheShellWouldPassThem()
    {
        Assert.Equal(
            ["study", "export", "s", "--format", "csv", "--out", "t.csv", "--storage", "x.db"],
            Arguments("seamless study export s --format csv|json [--out t.csv] --storage x.db   # comment"));
        Assert.Equal(["generate", "--prompt", "1girl, (red hair:1.2)", "--out", "a b.png"], Arguments("seamless generate --prompt \"1girl, (red hair:1.2)\" --out 'a b.png'"));
        Assert.Equal(["study", "list"], Arguments("seamless study list|show …"));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Parse_DocumentedCommand_Accepted(string where, string line)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Parse(Arguments(line), CliConsoles.Plain(output, error));
        Assert.True(code == 0, $"{where}\n→ exit {code}: {error}");
    }

    [Theory]
    [InlineData("seamless bench --modelz a.safetensors")]
    [InlineData("seamless serach search.yaml")]
    [InlineData("seamless optimize --budget many")]
    [InlineData("seamless best")]
    public void Parse_WhatTheToolRefuses_NotAccepted(string line)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.NotEqual(0, CliApp.Parse(Arguments(line), CliConsoles.Plain(output, error)));
    }
}
