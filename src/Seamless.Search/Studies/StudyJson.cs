using System.Text.Json;
using Seamless.Search.Space;

namespace Seamless.Search.Studies;

/// <summary>The JSON forms stores use for configurations and parameter maps (one format for every store).</summary>
public static class StudyJson
{
    public static string Config(StudyConfig config) => JsonSerializer.Serialize(new ConfigDto(
        config.Name, config.Space.Parameters.Select(p => new ParameterDto(p.Name, p.Low, p.High)).ToList(),
        config.Optimizer, config.Budget, config.Seed, config.Direction, config.ObjectiveCommand, config.Extra, config.Fidelity));

    public static StudyConfig Config(string json)
    {
        var dto = JsonSerializer.Deserialize<ConfigDto>(json) ?? throw new InvalidDataException("empty study configuration");
        return new StudyConfig(dto.Name, new SearchSpace(dto.Space.Select(p => new SearchParameter(p.Name, p.Low, p.High)).ToList()),
            dto.Optimizer, dto.Budget, dto.Seed, dto.Direction, dto.ObjectiveCommand, dto.Extra, dto.Fidelity);
    }

    public static string Map(IReadOnlyDictionary<string, double>? map) => map is null ? "null" : JsonSerializer.Serialize(map);

    public static Dictionary<string, double>? Map(string? json) =>
        string.IsNullOrEmpty(json) || json == "null" ? null : JsonSerializer.Deserialize<Dictionary<string, double>>(json);

    private sealed record ParameterDto(string Name, double Low, double High);

    private sealed record ConfigDto(string Name, List<ParameterDto> Space, string Optimizer, int Budget, int Seed, string Direction, string? ObjectiveCommand, string? Extra, FidelityPlan? Fidelity = null);
}
