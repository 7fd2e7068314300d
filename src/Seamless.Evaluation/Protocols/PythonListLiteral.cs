using System.Globalization;
using System.Text;
using Seamless.Evaluation.Errors;

namespace Seamless.Evaluation.Protocols;

/// <summary>
/// Reads the list of strings assigned to a name in Python source (<c>NAME = ['a', "b", …]</c>), as the benchmark's
/// <c>common.py</c> holds its tag list: single- or double-quoted literals with Python's escapes (\\, \', \", \n, \t,
/// \r, \xhh, \uhhhh; any other escape is kept as written, as Python keeps it), comments, line breaks and a trailing
/// comma. Anything else in the list is an
/// error naming the file and the line: the file is fetched from the network and must not be half-read.
/// </summary>
public static class PythonListLiteral
{
    public static IReadOnlyList<string> Find(string source, string name, string file)
    {
        ArgumentNullException.ThrowIfNull(source);
        var start = FindAssignment(source, name) ?? throw new EvaluationException(file, EvaluationError.ProtocolInvalid, $"no list assigned to '{name}'");
        var items = new List<string>();
        var i = start;
        var expectValue = true;
        while (true)
        {
            i = SkipBlank(source, i);
            if (i >= source.Length)
            {
                throw Error(file, source, i, "the list is not closed with ']'");
            }

            var c = source[i];
            if (c == ']')
            {
                return items;
            }

            if (c == ',' && !expectValue)
            {
                expectValue = true;
                i++;
                continue;
            }

            if (c is '\'' or '"' && expectValue)
            {
                items.Add(ReadString(source, ref i, file));
                expectValue = false;
                continue;
            }

            throw Error(file, source, i, expectValue ? $"expected a string, found '{c}'" : $"expected ',' or ']', found '{c}'");
        }
    }

    private static int? FindAssignment(string source, string name)
    {
        for (var at = source.IndexOf(name, StringComparison.Ordinal); at >= 0; at = source.IndexOf(name, at + 1, StringComparison.Ordinal))
        {
            // The name at the start of a line, then '=' and '['.
            if (at > 0 && source[at - 1] != '\n')
            {
                continue;
            }

            var i = SkipSpaces(source, at + name.Length);
            if (i < source.Length && source[i] == '=')
            {
                i = SkipBlank(source, i + 1);
                if (i < source.Length && source[i] == '[')
                {
                    return i + 1;
                }
            }
        }

        return null;
    }

    private static int SkipSpaces(string s, int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    private static int SkipBlank(string s, int i)
    {
        while (i < s.Length)
        {
            if (char.IsWhiteSpace(s[i]))
            {
                i++;
            }
            else if (s[i] == '#')
            {
                while (i < s.Length && s[i] != '\n')
                {
                    i++;
                }
            }
            else if (s[i] == '\\' && i + 1 < s.Length && s[i + 1] == '\n')
            {
                i += 2;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    private static string ReadString(string s, ref int i, string file)
    {
        var quote = s[i];
        var start = i;
        i++;
        var text = new StringBuilder();
        while (true)
        {
            if (i >= s.Length || s[i] == '\n')
            {
                throw Error(file, s, start, "a string is not closed on its line");
            }

            var c = s[i++];
            if (c == quote)
            {
                return text.ToString();
            }

            if (c != '\\')
            {
                text.Append(c);
                continue;
            }

            if (i >= s.Length)
            {
                throw Error(file, s, start, "a string ends in a backslash");
            }

            var e = s[i++];
            switch (e)
            {
                case '\\' or '\'' or '"':
                    text.Append(e);
                    break;
                case 'n':
                    text.Append('\n');
                    break;
                case 't':
                    text.Append('\t');
                    break;
                case 'r':
                    text.Append('\r');
                    break;
                case '\n':
                    break;
                case 'x' or 'u':
                    var digits = e == 'x' ? 2 : 4;
                    if (i + digits > s.Length || !int.TryParse(s.AsSpan(i, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                    {
                        throw Error(file, s, i, $"bad \\{e} escape");
                    }

                    text.Append((char)code);
                    i += digits;
                    break;
                default:
                    // Python keeps an unknown escape as written (a backslash and the character).
                    text.Append('\\').Append(e);
                    break;
            }
        }
    }

    private static EvaluationException Error(string file, string source, int at, string what)
    {
        var line = 1 + source.AsSpan(0, Math.Min(at, source.Length)).Count('\n');
        return new EvaluationException(file, EvaluationError.ProtocolInvalid, $"line {line}: {what}");
    }
}
