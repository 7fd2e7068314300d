using System.Diagnostics;
using Seamless.Architecture;
using Seamless.Cli.Infrastructure;
using Seamless.Fabrication;
using Seamless.Safetensors;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary><c>seamless fabricate</c>: random weights in a real key layout.</summary>
public sealed class FabricateCommand(CliConsoles consoles) : Command<FabricateSettings>
{
    public override int Execute(CommandContext context, FabricateSettings settings, CancellationToken cancellationToken)
    {
        var manifest = ArchitectureManifest.Load(settings.Arch);
        var scale = settings.Scale == "full" ? FabricationScale.Full : FabricationScale.Tiny;
        DType? dtype = null;
        if (settings.DType is not null && DTypeExtensions.TryParseUserName(settings.DType, out var d))
        {
            dtype = d;
        }

        var clock = Stopwatch.StartNew();
        Fabricator.Fabricate(manifest, scale, settings.Seed, settings.Out, dtype);
        var size = new FileInfo(settings.Out).Length;
        consoles.Out.MarkupLine(Markup.Escape($"Wrote {Path.GetFullPath(settings.Out)}: {manifest.Name}, {scale.ToString().ToLowerInvariant()}, seed {settings.Seed}, {size / 1e6:F1} MB of random weights (not a usable model) in {clock.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }
}
