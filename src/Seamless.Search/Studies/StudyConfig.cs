using Seamless.Search.Space;

namespace Seamless.Search.Studies;

/// <summary>What a study searches and how: stored with the study so a resume needs nothing else.</summary>
public sealed record StudyConfig(
    string Name,
    SearchSpace Space,
    string Optimizer,
    int Budget,
    int Seed,
    string Direction = "maximize",
    string? ObjectiveCommand = null,
    string? Extra = null,
    FidelityPlan? Fidelity = null)
{
    public bool Maximize => Direction == "maximize";
}
