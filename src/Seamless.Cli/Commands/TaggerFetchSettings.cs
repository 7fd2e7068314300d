using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class TaggerFetchSettings : SeamlessSettings
{
    [CommandArgument(0, "<REPO>")]
    [Description("A Hugging Face tagger repository, e.g. SmilingWolf/wd-eva02-large-tagger-v3 (model.onnx + selected_tags.csv).")]
    public string Repo { get; init; } = string.Empty;

    [CommandOption("-o|--out <DIR>")]
    [Description("Folder to write the tagger into (default: ./taggers/NAME).")]
    public string? Out { get; init; }

    [CommandOption("--files <LIST>")]
    [Description("Files to fetch (default model.onnx,selected_tags.csv; ML-Danbooru exports need e.g. ml_caformer_m36_dec-5-97527.onnx,classes.json).")]
    [DefaultValue("model.onnx,selected_tags.csv")]
    public string Files { get; init; } = "model.onnx,selected_tags.csv";

    [CommandOption("--revision <REV>")]
    [DefaultValue("main")]
    public string Revision { get; init; } = "main";

    [CommandOption("--hub <URL>")]
    [Description("Hub base URL (default https://huggingface.co).")]
    [DefaultValue("https://huggingface.co")]
    public string Hub { get; init; } = "https://huggingface.co";

    protected override ValidationResult Check()
    {
        var problems = Infrastructure.HubDownloader.Problems(Repo, Hub).ToList();

        if (Files.Split(',', StringSplitOptions.RemoveEmptyEntries).Any(f => f.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(f.Trim())))
        {
            problems.Add("--files must be plain file names inside the repository");
        }

        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join("; ", problems));
    }
}
