namespace Seamless.Contact;

/// <summary>How the best rank-r approximation is computed.</summary>
public enum LowRankMethod
{
    /// <summary>Randomised range finder with power iterations (Halko, Martinsson, Tropp 2011, Alg. 4.4 + 5.1).</summary>
    Randomized,

    /// <summary>A full thin SVD (Householder QR of the long side, then SVD of the square factor).</summary>
    Exact,
}
