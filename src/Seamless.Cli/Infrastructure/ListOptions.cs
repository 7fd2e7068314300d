using System.Reflection;
using Spectre.Console.Cli;

namespace Seamless.Cli.Infrastructure;

/// <summary>
/// Lets every list option take several values after one flag, as a shell glob gives them
/// (<c>--models *.safetensors</c> → <c>--models a --models b …</c>), besides repeated flags. Spectre's parser takes one
/// value per flag, so the arguments are rewritten first: after a list option of the verb being run, every following
/// argument that does not start with '-' is another value. The verb's list options are read from its settings class
/// (array properties with <see cref="CommandOptionAttribute"/>), so a new list option needs nothing here.
/// </summary>
public static class ListOptions
{
    public static string[] Expand(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var names = ListOptionNames(args);
        if (names.Count == 0)
        {
            return args;
        }

        var expanded = new List<string>(args.Length + 4);
        for (var i = 0; i < args.Length; i++)
        {
            var flag = args[i];
            expanded.Add(flag);
            if (!names.Contains(flag) || i + 1 >= args.Length)
            {
                continue;
            }

            expanded.Add(args[++i]);
            while (i + 1 < args.Length && !args[i + 1].StartsWith('-'))
            {
                expanded.Add(flag);
                expanded.Add(args[++i]);
            }
        }

        return [.. expanded];
    }

    /// <summary>The flags (short and long) of the list options of the verb named at the start of <paramref name="args"/>.</summary>
    internal static HashSet<string> ListOptionNames(string[] args)
    {
        var verbs = args.TakeWhile(a => !a.StartsWith('-')).Take(2).ToArray();
        var settings = verbs.Length switch
        {
            0 => null,
            1 => SettingsOf(Pascal(verbs[0])),
            _ => SettingsOf(Pascal(verbs[0]) + Pascal(verbs[1])) ?? SettingsOf(Pascal(verbs[0])),
        };
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (settings is null)
        {
            return names;
        }

        foreach (var property in settings.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.PropertyType.IsArray && property.GetCustomAttribute<CommandOptionAttribute>() is { } option)
            {
                names.UnionWith(option.LongNames.Select(n => "--" + n));
                names.UnionWith(option.ShortNames.Select(n => "-" + n));
            }
        }

        return names;
    }

    private static string Pascal(string verb) =>
        string.Concat(verb.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static Type? SettingsOf(string name)
    {
        var command = typeof(ListOptions).Assembly.GetTypes().FirstOrDefault(t => t.Name == name + "Command" && !t.IsAbstract);
        for (var type = command?.BaseType; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Command<>) || type.GetGenericTypeDefinition() == typeof(AsyncCommand<>)))
            {
                return type.GetGenericArguments()[0];
            }
        }

        return null;
    }
}
