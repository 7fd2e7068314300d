namespace Seamless.Merging.Methods;

/// <summary>A + Σ wᵢ·(Bᵢ − Cᵢ): adds what fine-tune Bᵢ learned relative to its parent Cᵢ.</summary>
public sealed class AddDifference : IMergeMethod
{
    public string Name => "add_difference";

    public string Formula => "A + Σ wᵢ·(Bᵢ − Cᵢ)";

    public void Validate(MergeRecipe recipe, ICollection<string> problems)
    {
        foreach (var model in recipe.Models.Where(m => m.Subtract is null))
        {
            problems.Add($"model {model.Path} needs 'subtract: C.safetensors' for add_difference (A + w·(B − C))");
        }
    }

    public IReadOnlyList<MergeTerm> Terms(IReadOnlyList<double> modelWeights)
    {
        var terms = new List<MergeTerm>(2 * modelWeights.Count + 1) { new(MergeTerm.Base, false, 1) };
        for (var i = 0; i < modelWeights.Count; i++)
        {
            terms.Add(new(i, false, modelWeights[i]));
            terms.Add(new(i, true, -modelWeights[i]));
        }

        return terms;
    }
}
