using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Seamless.Engine.Text;

/// <summary>
/// The text normalisation of OpenAI CLIP's tokenizer: the ftfy repairs that matter for prompts (mojibake decoded back,
/// fullwidth forms narrowed, Latin ligatures split, curly quotes straightened, NFC), HTML entities unescaped twice,
/// whitespace collapsed, lower case. <paramref name="htmlUnescape"/> false gives the Hugging Face variant, which only
/// unescapes (through ftfy) when the text has no literal '&lt;'.
/// </summary>
public static partial class TextCleaner
{
    public static string Clean(string text, bool htmlUnescape = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = FixText(text);
        if (htmlUnescape)
        {
            t = WebUtility.HtmlDecode(WebUtility.HtmlDecode(t));
        }

        t = Whitespace().Replace(t.Trim(), " ");
        return t.ToLowerInvariant();
    }

    /// <summary>The subset of ftfy.fix_text (6.x defaults) that changes real prompts.</summary>
    internal static string FixText(string text)
    {
        var t = text;
        if (!t.Contains('<', StringComparison.Ordinal))
        {
            t = WebUtility.HtmlDecode(t);
        }

        t = FixMojibake(t);
        var sb = new StringBuilder(t.Length);
        foreach (var c in t)
        {
            switch (c)
            {
                // Fullwidth ASCII forms → ASCII (ftfy fix_character_width).
                case >= '\uFF01' and <= '\uFF5E':
                    sb.Append((char)(c - 0xFEE0));
                    break;
                case '\u3000':
                    sb.Append(' ');
                    break;

                // Curly quotes → straight (uncurl_quotes).
                case '\u2018' or '\u2019' or '\u201A' or '\u201B':
                    sb.Append('\'');
                    break;
                case '\u201C' or '\u201D' or '\u201E' or '\u201F':
                    sb.Append('"');
                    break;

                // Latin ligatures → letters (fix_latin_ligatures).
                case '\uFB00':
                    sb.Append("ff");
                    break;
                case '\uFB01':
                    sb.Append("fi");
                    break;
                case '\uFB02':
                    sb.Append("fl");
                    break;
                case '\uFB03':
                    sb.Append("ffi");
                    break;
                case '\uFB04':
                    sb.Append("ffl");
                    break;
                case '\uFB05' or '\uFB06':
                    sb.Append("st");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// UTF-8 read as Latin-1/Windows-1252 ("cafÃ©"): runs of such characters that re-encode to valid UTF-8 of non-ASCII
    /// text are decoded back.
    /// </summary>
    private static string FixMojibake(string text) =>
        Mojibake().Replace(text, m =>
        {
            var bytes = new byte[m.Value.Length];
            for (var i = 0; i < m.Value.Length; i++)
            {
                var c = m.Value[i];
                if (c > 0xFF)
                {
                    return m.Value;
                }

                bytes[i] = (byte)c;
            }

            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                return m.Value;
            }
        });

    // A lead byte of a 2–4 byte UTF-8 sequence (Ã, Â, â, ð…) followed by continuation bytes (0x80–0xBF), as Latin-1 chars.
    [GeneratedRegex("[\u00C2-\u00F4][\u0080-\u00BF]{1,3}")]
    private static partial Regex Mojibake();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    internal static bool IsLetter(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter;
}
