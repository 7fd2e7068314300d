using Seamless.Cli.Infrastructure;
using Seamless.Evaluation.Diversity;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary>
/// <c>seamless encoder fetch [REPO]</c>: downloads an ONNX CLIP image encoder (saved as <c>model.onnx</c>) and its
/// <c>preprocessor_config.json</c> into a folder, each through a temp file and a rename, then checks that it loads.
/// </summary>
public sealed class EncoderFetchCommand(CliConsoles consoles) : AsyncCommand<EncoderFetchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, EncoderFetchSettings settings, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(settings.Out ?? Path.Combine("encoders", settings.Repo.Split('/')[1]));
        Directory.CreateDirectory(folder);
        using var hub = new HubDownloader(settings.Hub);
        foreach (var (file, local) in new[] { (settings.File, "model.onnx"), (EncoderSpecLoader.PreprocessorFileName, EncoderSpecLoader.PreprocessorFileName) })
        {
            var bytes = await hub.FetchUrlAsync(HubDownloader.FileUrl(settings.Hub, settings.Repo, settings.Revision, file), Path.Combine(folder, local), cancellationToken).ConfigureAwait(false);
            consoles.Out.MarkupLine(Markup.Escape($"  {file}: {bytes / 1024.0 / 1024.0:F1} MiB"));
        }

        var spec = EncoderSpecLoader.Load(folder);
        using (Seamless.Tagging.Onnx.OnnxImageEmbedder.Open(spec))
        {
            consoles.Out.MarkupLine(Markup.Escape($"Image encoder ready in {folder}: input {spec.CropSize}² (short side {spec.ShortestEdge}). Measure diversity with --encoder {folder}"));
        }

        return 0;
    }
}
