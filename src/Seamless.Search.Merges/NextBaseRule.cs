namespace Seamless.Search.Merges;

/// <summary>Which trial of a round becomes the next round's base.</summary>
public enum NextBaseRule
{
    /// <summary>The study's recommendation (for GP optimisers, the best posterior mean among evaluated trials): robust to a lucky draw.</summary>
    Recommended,

    /// <summary>The highest observed score, as the original did (<c>optimizer.max</c> in 烙印剧城.py).</summary>
    BestObserved,
}
