namespace Seamless.Search.Studies;

/// <summary>
/// Multi-fidelity search: new points are explored at fidelity <see cref="Low"/> (e.g. a quarter of the prompts),
/// and after every evaluation the best low-fidelity points are promoted to a full evaluation so that full ones are
/// at least <see cref="Promote"/> × the low ones. The budget then counts cost (Σ fidelity, in full evaluations),
/// not trials; the recommendation comes from full evaluations. Scores at any fidelity estimate the same accuracy,
/// with more noise at low fidelity, which the GP models through each score's known variance.
/// </summary>
public sealed record FidelityPlan(double Low, double Promote)
{
    public bool IsValid(out string problem)
    {
        problem = !(Low > 0 && Low < 1) ? $"fidelity low {Low} is not in (0, 1)"
            : !(Promote > 0 && Promote <= 1) ? $"fidelity promote {Promote} is not in (0, 1]"
            : string.Empty;
        return problem.Length == 0;
    }
}
