using System.Globalization;
using System.Text.Json;
using Seamless.Errors;

namespace Seamless.Search.Space;

/// <summary>
/// The box the optimiser searches, in parameter order. Optimisers work in the unit cube; the space maps
/// between it and the user's bounds.
/// </summary>
public sealed class SearchSpace
{
    public SearchSpace(IReadOnlyList<SearchParameter> parameters)
    {
        Parameters = parameters;
    }

    public IReadOnlyList<SearchParameter> Parameters { get; }

    public int Dimensions => Parameters.Count;

    public double[] ToUnit(IReadOnlyDictionary<string, double> values) =>
        Parameters.Select(p => p.ToUnit(values[p.Name])).ToArray();

    public Dictionary<string, double> FromUnit(IReadOnlyList<double> unit) =>
        Parameters.Select((p, i) => (p.Name, Value: p.FromUnit(unit[i]))).ToDictionary(x => x.Name, x => x.Value, StringComparer.Ordinal);

    /// <summary>Reads <c>{"name": [low, high], …}</c>, reporting every problem at once.</summary>
    public static SearchSpace FromJson(string json, string? source)
    {
        var problems = new List<string>();
        var parameters = new List<SearchParameter>();
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new RecipeException(source, "a search space is a JSON object mapping names to [low, high]");
            }

            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.Array || p.Value.GetArrayLength() != 2 || !p.Value[0].TryGetDouble(out var low) || !p.Value[1].TryGetDouble(out var high))
                {
                    problems.Add($"'{p.Name}' is not [low, high]");
                    continue;
                }

                if (!(low < high) || !double.IsFinite(low) || !double.IsFinite(high))
                {
                    problems.Add($"'{p.Name}' bounds [{low.ToString(CultureInfo.InvariantCulture)}, {high.ToString(CultureInfo.InvariantCulture)}] are reversed or empty");
                    continue;
                }

                parameters.Add(new SearchParameter(p.Name, low, high));
            }
        }
        catch (JsonException e)
        {
            throw new RecipeException(source, $"not valid JSON ({e.Message})");
        }

        if (parameters.Count == 0 && problems.Count == 0)
        {
            problems.Add("the search space has no parameters");
        }

        if (problems.Count > 0)
        {
            throw new RecipeException(source, problems);
        }

        return new SearchSpace(parameters);
    }

    public string ToJson() =>
        JsonSerializer.Serialize(Parameters.ToDictionary(p => p.Name, p => new[] { p.Low, p.High }));
}
