namespace Seamless.Merging.Methods;

/// <summary>
/// The original system's block merge, A·(1 − Σwᵢ) + Σ wᵢ·Mᵢ. Weights may be negative or exceed 1 (its search
/// bounds were as wide as (−0.2, 0.55)), so the result is an affine, not only convex, combination.
/// </summary>
public sealed class WeightedSum : IMergeMethod
{
    public string Name => "weighted_sum";

    public string Formula => "A·(1 − Σwᵢ) + Σ wᵢ·Mᵢ";

    public void Validate(MergeRecipe recipe, ICollection<string> problems)
    {
        foreach (var model in recipe.Models.Where(m => m.Subtract is not null))
        {
            problems.Add($"model {model.Path} has 'subtract', which only add_difference uses");
        }
    }

    public IReadOnlyList<MergeTerm> Terms(IReadOnlyList<double> modelWeights)
    {
        var terms = new List<MergeTerm>(modelWeights.Count + 1) { new(MergeTerm.Base, false, 1 - modelWeights.Sum()) };
        for (var i = 0; i < modelWeights.Count; i++)
        {
            terms.Add(new(i, false, modelWeights[i]));
        }

        return terms;
    }
}
