using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Seamless.Application.TagAccuracy;
using Seamless.Cli.Commands;
using Spectre.Console.Cli;

namespace Seamless.Tests.Commands;

/// <summary>
/// The command line and a configuration's <c>tag_accuracy</c> map speak one vocabulary: every option of
/// <see cref="EvaluationSettings"/> is a <see cref="TagAccuracyOptions"/> key of the same name, with the same default,
/// and <see cref="EvaluationSettings.ToOptions"/> carries its value.
/// </summary>
public sealed class EvaluationSettingsTests
{
    private static IEnumerable<(string Key, PropertyInfo Cli)> Options() => typeof(EvaluationSettings).GetProperties()
        .Select(p => (p, a: p.GetCustomAttribute<CommandOptionAttribute>()))
        .Where(x => x.a is not null)
        .Select(x => (x.a!.LongNames[0].Replace('-', '_'), x.p));

    [Fact]
    public void EveryCommandOption_IsATypedOptionOfTheSameNameAndDefault()
    {
        var defaults = new TagAccuracyOptions();
        var cli = new BenchSettings();
        var keys = Options().Select(o => o.Key).ToList();
        Assert.Equal(TagAccuracyOptions.Keys.Keys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        foreach (var (key, property) in Options())
        {
            var typed = TagAccuracyOptions.Keys[key];
            Assert.Equal(typed.GetValue(defaults), property.GetValue(cli));
            if (property.GetCustomAttribute<DefaultValueAttribute>() is { } shown)
            {
                // What --help shows is the default the options really have.
                Assert.Equal(Convert.ToString(typed.GetValue(defaults), CultureInfo.InvariantCulture), Convert.ToString(shown.Value, CultureInfo.InvariantCulture));
            }
        }
    }

    [Fact]
    public void ToOptions_EveryOptionChanged_Carried()
    {
        // Every command-line option set to a value unlike its default must arrive in the typed options.
        var settings = new BenchSettings();
        foreach (var (_, property) in Options())
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object value = type == typeof(string) ? "changed-" + property.Name
                : type == typeof(bool) ? !(bool)(property.GetValue(settings) ?? false)
                : type == typeof(int) ? (object)977
                : type == typeof(ulong) ? (object)977UL
                : 0.25;
            property.SetValue(settings, value);
        }

        var options = settings.ToOptions();
        foreach (var (key, property) in Options())
        {
            Assert.Equal(property.GetValue(settings), TagAccuracyOptions.Keys[key].GetValue(options));
        }
    }
}
