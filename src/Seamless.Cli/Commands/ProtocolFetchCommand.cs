using Seamless.Application.TagAccuracy;
using Seamless.Cli.Infrastructure;
using Seamless.Evaluation.Protocols;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary>
/// <c>seamless protocol fetch rimo</c>: downloads the rimo benchmark's tag list (common.py) and category directory
/// (目录.json) at their pinned commits — their licence does not allow bundling them — and checks that both read.
/// </summary>
public sealed class ProtocolFetchCommand(CliConsoles consoles) : AsyncCommand<ProtocolFetchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ProtocolFetchSettings settings, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(settings.Out ?? ProtocolData.Folder(settings.Protocol)!);
        Directory.CreateDirectory(folder);
        using var downloader = new HubDownloader(settings.Source);
        foreach (var (url, file) in RimoBenchmark.Sources)
        {
            var from = settings.Source.TrimEnd('/') + url.AbsolutePath;
            var bytes = await downloader.FetchUrlAsync(from, Path.Combine(folder, file), cancellationToken).ConfigureAwait(false);
            consoles.Out.MarkupLine(Markup.Escape($"  {file}: {bytes / 1024.0:F0} KiB from {from}"));
        }

        var (tags, catalog) = ProtocolData.ReadRimo(folder);
        var categorised = tags.Count(t => catalog.CategoriesOf(Evaluation.Tags.TagText.Canonical(t))[0] != Evaluation.Tags.TagCatalog.Other);
        consoles.Out.MarkupLine(Markup.Escape($"rimo benchmark data ready in {folder}: {tags.Count} tags, {categorised} of them in the 7 categories."));
        return 0;
    }
}
