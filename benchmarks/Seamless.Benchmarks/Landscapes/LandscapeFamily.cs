namespace Seamless.Benchmarks.Landscapes;

/// <summary>
/// A family of merge-shaped landscapes (see <see cref="MergeLandscape"/>): how many models and blocks, the weight
/// bounds, the noise, and which traits its instances have. <see cref="HeldOut"/> families are never used to choose the
/// optimiser's design or settings; only their figures count as evidence. <see cref="Why"/> says what real merge
/// searches the family stands for.
/// </summary>
/// <param name="Top">The accuracy at the optimum.</param>
/// <param name="BaseAccuracy">The accuracy of the base model (every weight 0).</param>
/// <param name="Irrelevant">Fraction of effects that are exactly zero (blocks the tags do not care about).</param>
/// <param name="Weak">Fraction of the remaining effects shrunk 25-fold (a plateau: the block barely matters).</param>
/// <param name="Bimodal">Fraction of effects with a second, slightly worse well.</param>
/// <param name="NearBound">Fraction of peaks placed past a bound, so that the optimum sits on it.</param>
/// <param name="Neighbour">Probability of an interaction between neighbouring blocks of one model.</param>
/// <param name="CrossModel">Probability of an interaction between the same block of two models.</param>
/// <param name="BlockThreshold">Weight, summed over the models, past which a block distorts the image.</param>
/// <param name="GlobalThreshold">Fraction of the largest total |w| past which the whole merge distorts.</param>
/// <param name="Ridge">Effects act on each block's weight summed over the models.</param>
/// <param name="Smooth">Effect sizes and peaks vary smoothly along the block index.</param>
/// <param name="NearZero">Peaks close to weight 0: the base already carries most of the gain (a later round).</param>
internal sealed record LandscapeFamily(
    string Name,
    bool HeldOut,
    string Why,
    int Models,
    int Blocks,
    double Low,
    double High,
    long Pairs,
    double BaseAccuracy,
    double Top,
    double Irrelevant = 0.25,
    double Weak = 0,
    double Bimodal = 0,
    double NearBound = 0,
    double Neighbour = 0,
    double CrossModel = 0,
    double? BlockThreshold = null,
    double? GlobalThreshold = null,
    bool Ridge = false,
    bool Smooth = false,
    bool NearZero = false)
{
    public int Dimensions => Models * Blocks;

    public MergeLandscape Instance(int seed) => new(this, seed);
}
