using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class QuickstartSettings : SeamlessSettings
{
    [CommandOption("--dir <FOLDER>")]
    [Description("Where the tiny models and outputs go (default: ./seamless-quickstart).")]
    [DefaultValue("seamless-quickstart")]
    public string Dir { get; init; } = "seamless-quickstart";

    [CommandOption("--budget <N>")]
    [Description("Trials of the tiny search (default 16 with the embedded engine, 24 with the toy backend).")]
    public int? Budget { get; init; }

    [CommandOption("--backend <KIND>")]
    [Description("embedded (the TorchSharp engine draws real SD1 diffusion with the tiny random models; the default when the engine is built) or toy (a stand-in whose images are painted from the merged weights, so its landscape has a clear optimum).")]
    public string? Backend { get; init; }

    protected override ValidationResult Check()
    {
        var problems = new List<string>();
        if (Budget is < 1)
        {
            problems.Add("--budget must be at least 1");
        }

        if (Backend is not (null or "embedded" or "toy"))
        {
            problems.Add($"--backend must be embedded or toy (is '{Backend}')");
        }

        if (Backend == "embedded" && Seamless.Application.TagAccuracy.EnginePlugin.Folder() is null)
        {
            problems.Add("--backend embedded: the engine is not built next to this program (no engine/ folder)");
        }

        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join("; ", problems));
    }
}
