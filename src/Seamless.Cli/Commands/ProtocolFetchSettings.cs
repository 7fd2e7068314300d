using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class ProtocolFetchSettings : SeamlessSettings
{
    [CommandArgument(0, "<PROTOCOL>")]
    [Description("The benchmark protocol whose data to fetch: rimo (RimoChan/stable-diffusion-anime-tag-benchmark's tag list and categories).")]
    public string Protocol { get; init; } = string.Empty;

    [CommandOption("-o|--out <DIR>")]
    [Description("Folder to write into (default: the Seamless cache's protocols/NAME/, where --protocol looks).")]
    public string? Out { get; init; }

    [CommandOption("--source <URL>")]
    [Description("Where raw repository files are served from (default https://raw.githubusercontent.com).")]
    [DefaultValue("https://raw.githubusercontent.com")]
    public string Source { get; init; } = "https://raw.githubusercontent.com";

    protected override ValidationResult Check()
    {
        var problems = new List<string>();
        if (Protocol != Evaluation.Protocols.RimoBenchmark.Name)
        {
            problems.Add($"unknown protocol '{Protocol}' (known: {Evaluation.Protocols.RimoBenchmark.Name})");
        }

        if (!Uri.TryCreate(Source, UriKind.Absolute, out _))
        {
            problems.Add($"--source '{Source}' is not an absolute URL");
        }

        if (Out is null && Seamless.Application.TagAccuracy.ProtocolData.Folder(Protocol) is null)
        {
            problems.Add("no home or cache folder to write to; give --out");
        }

        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join("; ", problems));
    }
}
