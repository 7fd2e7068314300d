using Seamless.Application.TagAccuracy;
using System.Diagnostics;
using System.Globalization;
using Seamless.Cli.Infrastructure;
using Seamless.Evaluation.Generation;
using Seamless.IO;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary>
/// <c>seamless generate</c>: one image from one checkpoint with the embedded engine (CPU or CUDA), written as PNG through a temp
/// file and a rename. The same drawing path a search uses with <c>--backend embedded</c>.
/// </summary>
public sealed class GenerateCommand(CliConsoles consoles) : AsyncCommand<GenerateSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, GenerateSettings settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var generator = EnginePlugin.Create(settings.Vocab, settings.ClipSkip, settings.Threads, settings.Device);
        var model = Path.GetFullPath(settings.Model!);
        var request = new GenerationRequest(settings.Prompt, settings.Negative, settings.Seed, 1, 1, settings.Width, settings.Height, settings.Steps, settings.Sampler, settings.Scheduler, settings.Cfg);
        IReadOnlyList<GeneratedImage> images;
        await using (var session = await generator.OpenAsync(new CandidateModel(model, string.Empty, Path.GetFileNameWithoutExtension(model)), cancellationToken).ConfigureAwait(false))
        {
            var loaded = clock.Elapsed;
            images = await session.GenerateAsync(request, cancellationToken).ConfigureAwait(false);
            consoles.Error.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"Loaded in {loaded.TotalSeconds:F1} s, drew {settings.Width}×{settings.Height} in {settings.Steps} steps in {(clock.Elapsed - loaded).TotalSeconds:F1} s")));
        }

        var output = Path.GetFullPath(settings.Out!);
        AtomicFile.WriteAllBytes(output, images[0].Encode(Seamless.Application.TagAccuracy.EvaluationSession.Codec));
        consoles.Out.WriteLine(output);
        return 0;
    }
}
