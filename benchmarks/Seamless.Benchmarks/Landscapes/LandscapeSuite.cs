namespace Seamless.Benchmarks.Landscapes;

/// <summary>
/// The benchmark families of merge landscapes (issue #13). Three are for tuning (grouped18, plateau26, and sparse52,
/// added on 2026-12-05 because no tuning family had 52 weights); five are held out and decide.
/// </summary>
internal static class LandscapeSuite
{
    public static IReadOnlyList<LandscapeFamily> Families { get; } =
    [
        new("grouped18", HeldOut: false,
            "Two models into a base over 9 block groups (the README's grouped search), the wide bounds the original " +
            "system once used. Pseudo-Huber effects, a quarter irrelevant, some bimodal, some optima on a bound, the " +
            "same group interacting across the models, and distortion once a group's two weights sum past 0.5.",
            Models: 2, Blocks: 9, Low: -0.2, High: 0.55, Pairs: 20_480, BaseAccuracy: 0.60, Top: 0.68,
            Bimodal: 0.15, NearBound: 0.2, Neighbour: 0.4, CrossModel: 0.6, BlockThreshold: 0.5, GlobalThreshold: 0.6),
        new("plateau26", HeldOut: false,
            "One model over 26 blocks where most blocks barely matter: a few blocks (the middle and early output " +
            "blocks, for composition tags) carry the effect and the rest are a plateau. Noisy: 640 pairs, a quick " +
            "low-fidelity evaluation.",
            Models: 1, Blocks: 26, Low: -0.1, High: 0.4, Pairs: 640, BaseAccuracy: 0.55, Top: 0.67,
            Irrelevant: 0.2, Weak: 0.7, Neighbour: 0.3),
        new("sparse52", HeldOut: false,
            "Two models over all 26 blocks (blocks: all, 52 weights) where a third of the blocks do nothing and a " +
            "third barely matter, some optima on a bound, the same block interacting across the models, distortion " +
            "per block and overall, and moderate noise (2 560 pairs): the tuning split's high-dimensional family.",
            Models: 2, Blocks: 26, Low: -0.1, High: 0.5, Pairs: 2_560, BaseAccuracy: 0.60, Top: 0.68,
            Irrelevant: 0.3, Weak: 0.3, Bimodal: 0.1, NearBound: 0.2, Neighbour: 0.3, CrossModel: 0.5,
            BlockThreshold: 0.6, GlobalThreshold: 0.5),
        new("narrow26", HeldOut: true,
            "The original system's space: one model over 26 blocks within (−0.05, 0.25). Many optima on the upper " +
            "bound (the model would be taken further if the bounds allowed), some bimodal blocks, neighbouring " +
            "blocks interacting, and a global distortion penalty when too much of the base is replaced.",
            Models: 1, Blocks: 26, Low: -0.05, High: 0.25, Pairs: 20_480, BaseAccuracy: 0.60, Top: 0.68,
            Bimodal: 0.15, NearBound: 0.4, Neighbour: 0.5, GlobalThreshold: 0.5),
        new("ridge52", HeldOut: true,
            "Two models over all 26 blocks in [0, 1] (blocks: all, 52 weights). What matters per block is how much of " +
            "the base is replaced (the sum of the two weights); the split between the models matters a little. A " +
            "ridge along the sum-to-one direction, distortion past a sum of 1.3.",
            Models: 2, Blocks: 26, Low: 0, High: 1, Pairs: 10_240, BaseAccuracy: 0.60, Top: 0.68,
            Irrelevant: 0.2, Neighbour: 0.3, CrossModel: 0.3, BlockThreshold: 1.3, Ridge: true),
        new("rounds26", HeldOut: true,
            "A later round of the original's rounds: the base already holds earlier winners, so the optimum is near " +
            "weight 0 and the gain is small (4 points) against noise from 2 560 pairs.",
            Models: 1, Blocks: 26, Low: -0.05, High: 0.25, Pairs: 2_560, BaseAccuracy: 0.75, Top: 0.79,
            Bimodal: 0.1, Neighbour: 0.5, NearZero: true),
        new("bimodal18", HeldOut: true,
            "Three models over 6 groups: half the effects have two wells (a block that helps at a low and at a high " +
            "strength), strong interactions of one group across the models, and per-group distortion.",
            Models: 3, Blocks: 6, Low: -0.1, High: 0.4, Pairs: 20_480, BaseAccuracy: 0.60, Top: 0.68,
            Irrelevant: 0.2, Bimodal: 0.5, NearBound: 0.1, Neighbour: 0.3, CrossModel: 0.8, BlockThreshold: 0.6),
        new("smooth52", HeldOut: true,
            "Two models over all 26 blocks where neighbouring blocks behave alike (effects and peaks follow a random " +
            "walk along IN00…OUT11), irrelevant blocks included, 5 120 pairs.",
            Models: 2, Blocks: 26, Low: -0.1, High: 0.4, Pairs: 5_120, BaseAccuracy: 0.60, Top: 0.68,
            Irrelevant: 0.3, Bimodal: 0.1, NearBound: 0.15, Neighbour: 0.3, CrossModel: 0.4, BlockThreshold: 0.5, Smooth: true),
        new("wide52", HeldOut: true,
            "Two models over all 26 blocks in [0, 1], as a user who lets the search replace the base outright: per-weight " +
            "peaks anywhere in the box (no ridge), a third of the blocks irrelevant, neighbouring blocks and the same " +
            "block across the models interacting, distortion once a block's two weights sum past 1 (added 2026-12-06 " +
            "to check, on a second [0, 1] world besides ridge52, what probing each input alone changes).",
            Models: 2, Blocks: 26, Low: 0, High: 1, Pairs: 5_120, BaseAccuracy: 0.60, Top: 0.68,
            Irrelevant: 0.3, Bimodal: 0.1, NearBound: 0.1, Neighbour: 0.3, CrossModel: 0.4, BlockThreshold: 1.0),
    ];
}
