namespace Seamless.Merging;

/// <summary>
/// A merge method: per block, a linear combination of the inputs' tensors. Methods are plug-ins (one file each,
/// listed in <see cref="MergeMethods"/>); they hold no state and do no I/O.
/// </summary>
public interface IMergeMethod
{
    /// <summary>The recipe's <c>method</c> value, e.g. weighted_sum.</summary>
    string Name { get; }

    /// <summary>The formula, for help text and the recorded recipe.</summary>
    string Formula { get; }

    /// <summary>Checks the recipe's shape for this method (e.g. add-difference needs a subtracted model), adding every problem.</summary>
    void Validate(MergeRecipe recipe, ICollection<string> problems);

    /// <summary>The terms for one block, given each recipe model's weight at that block.</summary>
    IReadOnlyList<MergeTerm> Terms(IReadOnlyList<double> modelWeights);
}
