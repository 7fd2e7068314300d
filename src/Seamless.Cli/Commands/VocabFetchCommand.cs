using Seamless.Cli.Infrastructure;
using Seamless.Engine.Text;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary>
/// <c>seamless vocab fetch</c>: downloads CLIP's tokenizer vocabulary (<c>vocab.json</c> + <c>merges.txt</c>) once, into
/// the folder the embedded engine looks in first, and checks that it loads (49 408 tokens, 48 894 merges).
/// </summary>
public sealed class VocabFetchCommand(CliConsoles consoles) : AsyncCommand<VocabFetchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, VocabFetchSettings settings, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(settings.Out ?? VocabularyLocator.FetchedFolder()!);
        using var hub = new HubDownloader(settings.Hub);
        await hub.FetchAllAsync(settings.Repo, settings.Revision, ["vocab.json", "merges.txt"], folder,
            (file, bytes) => consoles.Out.MarkupLine(Markup.Escape($"  {file}: {bytes / 1024.0:F0} KiB")), cancellationToken).ConfigureAwait(false);

        var vocabulary = ClipVocabulary.Load(folder);
        consoles.Out.MarkupLine(Markup.Escape($"CLIP vocabulary ready in {folder} ({vocabulary.Encoder.Count} tokens); the embedded engine finds it there{(settings.Out is null ? "" : $" with --vocab {folder}")}."));
        return 0;
    }
}
