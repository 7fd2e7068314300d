namespace Seamless.Architecture;

/// <summary>How the middle block (<c>middle_block.0…2</c>) is weighted.</summary>
public enum MiddleRule
{
    /// <summary>One block, M00, as supermerger, sd-meh and sd-mecha weight it.</summary>
    Whole,

    /// <summary>
    /// <c>middle_block.0</c> and <c>.1</c> in M00, <c>middle_block.2</c> in a block of its own named M01 (which defaults
    /// to the M00 weight): the grouping of RimoChan/rimo_random_mix's 烙印剧城.py.
    /// </summary>
    Split,
}
