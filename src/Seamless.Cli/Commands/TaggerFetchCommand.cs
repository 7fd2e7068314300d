using Seamless.Cli.Infrastructure;
using Seamless.Evaluation.Tagging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary>
/// <c>seamless tagger fetch OWNER/NAME</c>: downloads a tagger's files from a Hugging Face repository
/// (<c>{hub}/{repo}/resolve/{revision}/{file}</c>) into a local folder, each through a temp file and a rename, then
/// checks that the folder loads as a tagger. The only command that goes online; every other takes a local path.
/// </summary>
public sealed class TaggerFetchCommand(CliConsoles consoles) : AsyncCommand<TaggerFetchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TaggerFetchSettings settings, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(settings.Out ?? Path.Combine("taggers", settings.Repo.Split('/')[1]));
        using var hub = new HubDownloader(settings.Hub);
        await hub.FetchAllAsync(settings.Repo, settings.Revision, settings.Files.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), folder,
            (file, bytes) => consoles.Out.MarkupLine(Markup.Escape($"  {file}: {bytes / 1024.0 / 1024.0:F1} MiB")), cancellationToken).ConfigureAwait(false);

        var spec = TaggerSpecLoader.Load(folder);
        using (var tagger = Seamless.Tagging.Onnx.OnnxTagger.Open(spec))
        {
            consoles.Out.MarkupLine(Markup.Escape($"Tagger ready in {folder}: {spec.Family}, {tagger.Labels.Count} labels, input {tagger.InputSize}². Use it with --tagger {folder}"));
        }

        return 0;
    }
}
