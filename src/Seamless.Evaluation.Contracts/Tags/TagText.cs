using System.Collections.Frozen;
using System.Text;

namespace Seamless.Evaluation.Tags;

/// <summary>
/// The one canonical spelling tags are compared on: lower case, underscores and spaces equivalent (stored as
/// spaces), prompt emphasis such as <c>((tag))</c>, <c>[tag]</c> or <c>(tag:1.2)</c> removed, A1111 escapes
/// <c>\(</c> undone. Kaomoji (<c>^_^</c>, <c>o_o</c>, <c>(o)_(o)</c>) keep their underscores, as the WD taggers' label
/// files spell them.
/// </summary>
public static class TagText
{
    // The multi-character kaomoji of the danbooru tag set; every three-character "x_y" is treated as one too.
    private static readonly FrozenSet<string> LongKaomoji = FrozenSet.Create(StringComparer.Ordinal,
        "(o)_(o)", "<o>_<o>", "<|>_<|>", "||_||", "(;_;)", "(^_^)");

    public static bool IsKaomoji(string tag) =>
        (tag.Length == 3 && tag[1] == '_') || LongKaomoji.Contains(tag);

    /// <summary>The canonical form of a tag written in a label file or a prompt.</summary>
    public static string Canonical(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var t = tag.Trim().ToLowerInvariant();
        if (IsKaomoji(t))
        {
            return t;
        }

        t = StripEmphasis(t);
        if (IsKaomoji(t))
        {
            return t;
        }

        var sb = new StringBuilder(t.Length);
        var space = false;
        for (var i = 0; i < t.Length; i++)
        {
            var c = t[i];
            if (c == '\\' && i + 1 < t.Length)
            {
                if (space)
                {
                    sb.Append(' ');
                    space = false;
                }

                sb.Append(t[++i]);
                continue;
            }

            if (c is '_' or ' ' or '\t')
            {
                space = sb.Length > 0;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>
    /// How a canonical tag is written into a prompt: spaces or underscores, parentheses escaped so A1111-style
    /// parsers do not read them as emphasis. Kaomoji are written as they are.
    /// </summary>
    public static string ForPrompt(string canonical, bool underscores)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        if (IsKaomoji(canonical))
        {
            return canonical;
        }

        // A three-character "a b" written "a_b" would read back as a kaomoji: keep its space.
        underscores &= !(canonical.Length == 3 && canonical[1] == ' ');
        var sb = new StringBuilder(canonical.Length + 4);
        foreach (var c in canonical)
        {
            switch (c)
            {
                case ' ':
                    sb.Append(underscores ? '_' : ' ');
                    break;
                case '(' or ')' or '[' or ']':
                    sb.Append('\\').Append(c);
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Splits a prompt at unescaped commas into canonical tags, dropping empty pieces.</summary>
    public static IReadOnlyList<string> SplitPrompt(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var tags = new List<string>();
        var start = 0;
        for (var i = 0; i <= prompt.Length; i++)
        {
            if (i < prompt.Length && prompt[i] == '\\')
            {
                i++;
                continue;
            }

            if (i == prompt.Length || prompt[i] == ',')
            {
                var piece = Canonical(prompt[start..Math.Min(i, prompt.Length)]);
                if (piece.Length > 0)
                {
                    tags.Add(piece);
                }

                start = i + 1;
            }
        }

        return tags;
    }

    private static string StripEmphasis(string t)
    {
        var open = 0;
        while (open < t.Length && t[open] is '(' or '[' or '{')
        {
            open++;
        }

        if (open == 0)
        {
            return t;
        }

        var end = t.Length;
        var closed = 0;
        while (closed < open && end > open && t[end - 1] is ')' or ']' or '}' && (end < 2 || t[end - 2] != '\\'))
        {
            end--;
            closed++;
        }

        var inner = t[open..end];
        var colon = inner.LastIndexOf(':');
        if (colon > 0 && double.TryParse(inner.AsSpan(colon + 1), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            inner = inner[..colon];
        }

        return inner.Trim();
    }
}
