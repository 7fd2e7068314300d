namespace Seamless.Merging;

/// <summary>One summand of a linear merge: coefficient × the tensor of a recipe input (model −1 is the base).</summary>
public readonly record struct MergeTerm(int Model, bool Subtracted, double Coefficient)
{
    public const int Base = -1;
}
