using Seamless.Application.Studies;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Seamless.Cli.Infrastructure;
using Seamless.Search.Studies;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary><c>seamless study export NAME --format csv|json</c>.</summary>
public sealed class StudyExportCommand(CliConsoles consoles) : Command<StudyExportSettings>
{
    public override int Execute(CommandContext context, StudyExportSettings settings, CancellationToken cancellationToken)
    {
        using var store = StudyStores.Open(settings.Storage, consoles.WriteNote);
        var study = StudyFacts.Find(store, settings.Name, settings.Storage);
        var trials = store.Trials(study.Id);
        var text = settings.Format == "json" ? Json(study, trials) : Csv(study, trials);
        if (settings.Out is null)
        {
            consoles.WriteRaw(text);
        }
        else
        {
            var temp = settings.Out + ".tmp";
            File.WriteAllText(temp, text);
            File.Move(temp, settings.Out, overwrite: true);
        }

        return 0;
    }

    private static string Json(StudyRecord study, IReadOnlyList<Trial> trials) => JsonSerializer.Serialize(new
    {
        study = study.Config.Name,
        optimizer = study.Config.Optimizer,
        direction = study.Config.Direction,
        budget = study.Config.Budget,
        seed = study.Config.Seed,
        space = study.Config.Space.Parameters.ToDictionary(p => p.Name, p => new[] { p.Low, p.High }),
        trials = trials.Select(t => new
        {
            number = t.Number,
            state = t.State.ToString().ToLowerInvariant(),
            value = t.Value,
            interval = t.IntervalLow is null ? null : new[] { t.IntervalLow, t.IntervalHigh },
            categories = t.Categories,
            metrics = t.Metrics,
            @params = t.Parameters,
            seconds = t.Duration?.TotalSeconds,
            attempts = t.Attempts,
            fidelity = t.Fidelity,
            worker = t.Worker,
            error = t.Error,
        }),
    }, Indented);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly string[] FixedColumns = ["number", "state", "value", "seconds", "attempts"];

    private static string Csv(StudyRecord study, IReadOnlyList<Trial> trials)
    {
        var names = study.Config.Space.Parameters.Select(p => p.Name).ToList();

        // Measurements besides the score (diversity, the raw accuracy under a floor): one column each, after the parameters.
        var metrics = trials.SelectMany(t => t.Metrics?.Keys ?? []).Distinct().Order(StringComparer.Ordinal).ToList();
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(",", FixedColumns.Concat(names).Concat(metrics).Append("error").Select(Quote)));
        foreach (var t in trials)
        {
            var cells = new[]
            {
                t.Number.ToString(CultureInfo.InvariantCulture), t.State.ToString().ToLowerInvariant(), t.Value?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty,
                t.Duration?.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture) ?? string.Empty, t.Attempts.ToString(CultureInfo.InvariantCulture),
            }.Concat(names.Select(n => t.Parameters.TryGetValue(n, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty))
                .Concat(metrics.Select(m => t.Metrics?.TryGetValue(m, out var v) == true ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty))
                .Append(t.Error ?? string.Empty);
            csv.AppendLine(string.Join(",", cells.Select(Quote)));
        }

        return csv.ToString();
    }

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
