using System.Globalization;
using System.Reflection;
using Seamless.Cli.Commands;
using Spectre.Console.Cli;

namespace Seamless.Cli.Infrastructure;

/// <summary>
/// Reads a search configuration's <c>tag_accuracy</c> map into <see cref="EvaluationSettings"/>: keys are the
/// command-line option names with underscores (<c>models_dir</c> for <c>--models-dir</c>), so the config file and
/// <c>seamless bench</c> speak one vocabulary and are validated by one method.
/// </summary>
public static class EvaluationSettingsBinder
{
    private static readonly Dictionary<string, PropertyInfo> Options = typeof(EvaluationSettings)
        .GetProperties()
        .Select(p => (p, a: p.GetCustomAttribute<CommandOptionAttribute>()))
        .Where(x => x.a is not null)
        .ToDictionary(x => x.a!.LongNames[0].Replace('-', '_'), x => x.p, StringComparer.Ordinal);

    public static EvaluationSettings Bind(IReadOnlyDictionary<string, string> map, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(problems);
        var settings = new EvaluationSettings();
        foreach (var (key, text) in map)
        {
            if (!Options.TryGetValue(key, out var property))
            {
                problems.Add($"tag_accuracy: unknown option '{key}' (known: {string.Join(", ", Options.Keys.Order(StringComparer.Ordinal))})");
                continue;
            }

            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            try
            {
                object value = type == typeof(string) ? text
                    : type == typeof(bool) ? bool.Parse(text)
                    : Convert.ChangeType(text, type, CultureInfo.InvariantCulture);
                property.SetValue(settings, value);
            }
            catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
            {
                problems.Add($"tag_accuracy: {key} '{text}' is not a valid {type.Name.ToLowerInvariant()}");
            }
        }

        problems.AddRange(settings.EvaluationProblems().Select(p => "tag_accuracy: " + System.Text.RegularExpressions.Regex.Replace(p, "--([a-z-]+)", m => m.Groups[1].Value.Replace('-', '_'))));
        return settings;
    }
}
