using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class EncoderFetchSettings : SeamlessSettings
{
    /// <summary>The benchmark measures diversity with openai/clip-vit-base-patch32; this is its ONNX export for Transformers.js.</summary>
    public const string DefaultRepo = "Xenova/clip-vit-base-patch32";

    [CommandArgument(0, "[REPO]")]
    [Description("A Hugging Face repository with an ONNX CLIP vision model (default Xenova/clip-vit-base-patch32).")]
    public string Repo { get; init; } = DefaultRepo;

    [CommandOption("-o|--out <DIR>")]
    [Description("Folder to write the encoder into (default: ./encoders/NAME).")]
    public string? Out { get; init; }

    [CommandOption("--file <PATH>")]
    [Description("The ONNX model's path in the repository (default onnx/vision_model.onnx); it is saved as model.onnx.")]
    [DefaultValue("onnx/vision_model.onnx")]
    public string File { get; init; } = "onnx/vision_model.onnx";

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
        if (File.Split('/').Any(p => p is "" or "." or "..") || Path.IsPathRooted(File))
        {
            problems.Add("--file must be a relative path inside the repository");
        }

        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join("; ", problems));
    }
}
