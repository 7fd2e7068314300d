using Seamless.Architecture;

namespace Seamless.Search.Merges;

/// <summary>
/// <c>blocks: unet14</c>, the search space of the original system (RimoChan/rimo_random_mix, 烙印剧城.py @
/// 6fd6b2a8d45c358e76d8145691771ada57e2ec3d): 14 UNet groups, input and output blocks in pairs and the middle block
/// as {0, 1} and {2}. The text encoder, the VAE, <c>time_embed</c> and <c>out.</c> come from the base unchanged, so
/// BASE (which they all join here) is not searched and keeps weight 0.
/// </summary>
public static class OriginalSearchSpace
{
    public const string Name = "unet14";

    /// <summary>The key → block rules the grouping needs.</summary>
    public static BlockMapOptions BlockMap { get; } =
        BlockMapOptions.Default with { TimeEmbed = TimeEmbedRule.Base, Vae = VaeRule.Base, Middle = MiddleRule.Split, Out = OutRule.Base };

    /// <summary>The 14 groups over <paramref name="layout"/> (SD1 or SD2: 12 input and 12 output blocks), each within <paramref name="bounds"/>.</summary>
    public static IReadOnlyList<BlockGroup> Groups(BlockLayout layout, (double Low, double High) bounds)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (layout.InBlocks != 12 || layout.OutBlocks != 12 || !layout.Contains(BlockLayout.MiddleTail))
        {
            throw new ArgumentException($"{Name} needs 12 input and 12 output blocks and a split middle block; {layout.Architecture} has {layout.InBlocks} and {layout.OutBlocks}", nameof(layout));
        }

        var groups = new List<BlockGroup>();
        void Pairs(string prefix)
        {
            for (var i = 0; i < 12; i += 2)
            {
                var blocks = new[] { $"{prefix}{i:00}", $"{prefix}{i + 1:00}" };
                groups.Add(new BlockGroup($"{blocks[0]}-{blocks[1]}", blocks, bounds.Low, bounds.High));
            }
        }

        Pairs("IN");
        groups.Add(new BlockGroup(BlockLayout.Middle, [BlockLayout.Middle], bounds.Low, bounds.High));
        groups.Add(new BlockGroup(BlockLayout.MiddleTail, [BlockLayout.MiddleTail], bounds.Low, bounds.High));
        Pairs("OUT");
        return groups;
    }
}
