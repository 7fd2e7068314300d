using Seamless.Cli.Infrastructure;
using Seamless.Contact;
using Seamless.Safetensors;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary><c>seamless contact A B --rank r</c>.</summary>
public sealed class ContactCommand(CliConsoles consoles) : Command<ContactSettings>
{
    public override int Execute(CommandContext context, ContactSettings settings, CancellationToken cancellationToken)
    {
        var dtype = settings.DType is not null && DTypeExtensions.TryParseUserName(settings.DType, out var parsed) ? parsed : DType.F16;

        var options = new LowRankOptions(settings.Rank, settings.Exact ? LowRankMethod.Exact : LowRankMethod.Randomized, settings.Oversample, settings.PowerIterations, settings.Seed);
        var request = new ContactRequest(settings.A, settings.B, options, dtype);
        var merger = new ContactMerger(threads: settings.Threads);
        var elapsed = ProgressReporter.Run(consoles, "contact merge", p => merger.Merge(request, settings.Out!, p, cancellationToken));
        consoles.Out.MarkupLine(Markup.Escape($"Wrote {Path.GetFullPath(settings.Out!)} (A + rank-{settings.Rank} part of B − A, {options.Method.ToString().ToLowerInvariant()} SVD) in {elapsed.TotalSeconds:F1} s"));
        return 0;
    }
}
