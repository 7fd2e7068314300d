using System.Diagnostics;
using System.Globalization;
using Seamless.Search.Studies;
using Spectre.Console;

namespace Seamless.Cli.Infrastructure;

/// <summary>One line per finished trial: its outcome, the trials and cost spent, the best score and an ETA.</summary>
public sealed class TrialLines(CliConsoles consoles) : IProgress<StudyProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Report(StudyProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var last = value.Last;
        var outcome = last?.State switch
        {
            TrialState.Complete => last.Value!.Value.ToString("G5", CultureInfo.InvariantCulture),
            TrialState.Pruned => $"pruned at {last.Value?.ToString("G4", CultureInfo.InvariantCulture)} (could not beat the best)",
            _ => $"{last?.State}: {last?.Error}",
        };
        var eta = value.Finished > 0 ? TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / value.Finished * Math.Max(0, value.Budget - value.Finished)) : TimeSpan.Zero;
        var spent = value.Cost == value.Finished ? value.Finished.ToString(CultureInfo.InvariantCulture) : $"{value.Finished} trials, cost {value.Cost:0.##}";
        consoles.Error.MarkupLine(Markup.Escape($"trial {last?.Number} ({spent}/{value.Budget}) → {outcome}; best {value.Best?.ToString("G5", CultureInfo.InvariantCulture)}; ETA {eta:hh\\:mm\\:ss}"));
    }
}
