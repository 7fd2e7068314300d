using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class VocabFetchSettings : SeamlessSettings
{
    [CommandOption("--repo <OWNER/NAME>")]
    [Description("The Hugging Face repository holding vocab.json and merges.txt (default openai/clip-vit-large-patch14).")]
    [DefaultValue(Engine.Text.VocabularyLocator.DefaultRepository)]
    public string Repo { get; init; } = Engine.Text.VocabularyLocator.DefaultRepository;

    [CommandOption("-o|--out <DIR>")]
    [Description("Folder to write into (default: the Seamless cache's clip/, where the embedded engine looks).")]
    public string? Out { get; init; }

    [CommandOption("--revision <REV>")]
    [DefaultValue("main")]
    public string Revision { get; init; } = "main";

    [CommandOption("--hub <URL>")]
    [DefaultValue("https://huggingface.co")]
    public string Hub { get; init; } = "https://huggingface.co";

    protected override ValidationResult Check()
    {
        var problems = Infrastructure.HubDownloader.Problems(Repo, Hub).ToList();

        if (Out is null && Engine.Text.VocabularyLocator.FetchedFolder() is null)
        {
            problems.Add("no home or cache folder to write to; give --out");
        }

        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join("; ", problems));
    }
}
