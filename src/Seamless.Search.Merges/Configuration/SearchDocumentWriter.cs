using System.Globalization;
using YamlDotNet.Serialization;

namespace Seamless.Search.Merges.Configuration;

/// <summary>
/// Writes a <see cref="SearchDocument"/> as YAML that <see cref="SearchDocumentReader"/> reads back to an equal document:
/// unset keys are left out, numbers keep every digit, and strings YAML would read as something else are quoted.
/// </summary>
public static class SearchDocumentWriter
{
    public static string Write(SearchDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var root = new Dictionary<string, object>(StringComparer.Ordinal);
        void Put(string key, object? value)
        {
            if (value is not null)
            {
                root[key] = value;
            }
        }

        Put("name", document.Name);
        Put("storage", document.Storage);
        Put("base", document.Base);
        Put("models", document.Models?.ToList());
        Put("method", document.Method);
        Put("output_dtype", document.OutputDtype);
        Put("block_map", document.BlockMap?.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
        Put("blocks", document.Blocks is { Preset: { } preset } ? preset : document.Blocks?.Entries.ToList());
        Put("bounds", document.Bounds is { } b ? Pair(b) : null);
        Put("block_bounds", document.BlockBounds?.ToDictionary(p => p.Key, p => Pair(p.Value), StringComparer.Ordinal));
        Put("fixed", document.Fixed?.ToDictionary(p => p.Key, p => Number(p.Value), StringComparer.Ordinal));
        Put("probes", document.Probes?.Select(p => p.Named is { } named ? (object)named : p.Point!.ToDictionary(x => x.Key, x => Number(x.Value), StringComparer.Ordinal)).ToList());
        Put("objective", document.Objective is { } o ? Objective(o) : null);
        Put("optimizer", document.Optimizer);
        Put("budget", document.Budget is { } budget ? Integer(budget) : null);
        Put("seed", document.Seed is { } seed ? Integer(seed) : null);
        Put("work", document.Work);
        Put("constraint", document.Constraint);
        Put("keep_best", document.KeepBest is { } keep ? Integer(keep) : null);
        Put("rounds", document.Rounds is { } r ? Rounds(r) : null);
        Put("fidelity", document.Fidelity is { } f ? new Dictionary<string, object> { ["low"] = Number(f.Low), ["promote"] = Number(f.Promote) } : null);
        return new SerializerBuilder().WithQuotingNecessaryStrings().Build().Serialize(root);
    }

    private static Dictionary<string, object> Objective(ObjectiveDocument objective)
    {
        var map = new Dictionary<string, object>(StringComparer.Ordinal);
        if (objective.Command is { } command)
        {
            map["command"] = command;
        }

        if (objective.TimeoutSeconds is { } timeout)
        {
            map["timeout"] = Number(timeout);
        }

        if (objective.TagAccuracy is { } options)
        {
            // One value stays a scalar (the common case, and how people write it); several (one per backend) a list.
            map["tag_accuracy"] = options.ToDictionary(p => p.Key, p => p.Value.Count == 1 ? (object)p.Value[0] : p.Value.ToList(), StringComparer.Ordinal);
        }

        return map;
    }

    private static Dictionary<string, object> Rounds(RoundsDocument rounds)
    {
        var map = new Dictionary<string, object>(StringComparer.Ordinal) { ["pool"] = rounds.Pool.ToList() };
        if (rounds.Count is { } count)
        {
            map["count"] = Integer(count);
        }

        if (rounds.Trials is { } trials)
        {
            map["trials"] = Integer(trials);
        }

        if (rounds.Folder is { } folder)
        {
            map["folder"] = folder;
        }

        if (rounds.NextBase is { } next)
        {
            map["next_base"] = next == NextBaseRule.BestObserved ? "best_observed" : "recommended";
        }

        return map;
    }

    private static List<string> Pair(WeightBounds bounds) => [Number(bounds.Low), Number(bounds.High)];

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);
}
