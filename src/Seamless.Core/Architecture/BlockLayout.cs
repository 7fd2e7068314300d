namespace Seamless.Architecture;

/// <summary>
/// The ordered merge blocks of an architecture: BASE, IN00…IN(n-1), M00, OUT00…OUT(m-1), and VAE when the VAE has
/// a block of its own, and M01 (after M00) when <c>middle_block.2</c> has one. Block names are canonical upper case; <see cref="Normalize"/> accepts common spellings.
/// </summary>
public sealed class BlockLayout
{
    public const string Base = "BASE";
    public const string Middle = "M00";
    public const string Vae = "VAE";
    public const string MiddleTail = "M01";

    private readonly Dictionary<string, int> _index;

    public BlockLayout(ModelArchitecture architecture, int inBlocks, int outBlocks, bool vaeBlock, bool middleSplit = false)
    {
        Architecture = architecture;
        InBlocks = inBlocks;
        OutBlocks = outBlocks;
        var blocks = new List<string> { Base };
        blocks.AddRange(Enumerable.Range(0, inBlocks).Select(i => $"IN{i:00}"));
        blocks.Add(Middle);
        if (middleSplit)
        {
            blocks.Add(MiddleTail);
        }
        blocks.AddRange(Enumerable.Range(0, outBlocks).Select(i => $"OUT{i:00}"));
        if (vaeBlock)
        {
            blocks.Add(Vae);
        }

        Blocks = blocks;
        _index = blocks.Select((b, i) => (b, i)).ToDictionary(x => x.b, x => x.i, StringComparer.Ordinal);
    }

    public ModelArchitecture Architecture { get; }

    public int InBlocks { get; }

    public int OutBlocks { get; }

    public IReadOnlyList<string> Blocks { get; }

    /// <summary>Blocks that supermerger-style strings carry (all but VAE and M01).</summary>
    public IReadOnlyList<string> StandardBlocks => Blocks.Where(b => b is not (Vae or MiddleTail)).ToList();

    /// <summary>Blocks that take their weight from another one unless given: VAE from BASE, M01 from M00.</summary>
    public static IReadOnlyList<(string Block, string From)> Followers { get; } = [(Vae, Base), (MiddleTail, Middle)];

    public string LastOut => $"OUT{OutBlocks - 1:00}";

    public bool Contains(string block) => _index.ContainsKey(block);

    public int IndexOf(string block) => _index.TryGetValue(block, out var i) ? i : -1;

    /// <summary>Canonical spelling of a block name ("in4", "IN04", "mid", "M0" …) or null when it is not one.</summary>
    public static string? Normalize(string name)
    {
        var s = name.Trim().ToUpperInvariant().Replace("_", string.Empty, StringComparison.Ordinal);
        if (s is "BASE" or "VAE" or MiddleTail)
        {
            return s;
        }

        if (s is "M" or "MID" or "M0" or "M00" or "MID00" or "MIDDLE")
        {
            return Middle;
        }

        foreach (var (prefix, canonical) in new[] { ("INP", "IN"), ("IN", "IN"), ("OUT", "OUT") })
        {
            if (s.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(s.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, null, out var n) && n < 100)
            {
                return $"{canonical}{n:00}";
            }
        }

        return null;
    }
}
