namespace Seamless.Engine.Text;

/// <summary>
/// GPT-2/CLIP's reversible map from bytes to printable characters: printable Latin-1 bytes map to themselves, the
/// other 68 to U+0100 onwards in byte order. BPE works on these characters.
/// </summary>
internal static class ByteUnicode
{
    public static readonly char[] Map = Build();

    /// <summary>The 256 symbols in the order of the vocabulary (printable ranges first, then the shifted ones).</summary>
    public static readonly string[] Symbols = BuildSymbols();

    private static char[] Build()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            map[b] = IsPrintable(b) ? (char)b : (char)next++;
        }

        return map;
    }

    private static string[] BuildSymbols()
    {
        var printable = Enumerable.Range(0, 256).Where(IsPrintable).ToList();
        var rest = Enumerable.Range(0, 256).Where(b => !IsPrintable(b)).ToList();
        return printable.Concat(rest).Select(b => Map[b].ToString()).ToArray();
    }

    private static bool IsPrintable(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
}
