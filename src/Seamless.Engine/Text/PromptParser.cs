using System.Globalization;
using System.Text.RegularExpressions;

namespace Seamless.Engine.Text;

/// <summary>
/// A1111's prompt emphasis (modules/prompt_parser.py <c>parse_prompt_attention</c>): <c>(text)</c> ×1.1,
/// <c>[text]</c> ÷1.1, <c>(text:w)</c> ×w, <c>\(</c> a literal bracket, unclosed brackets applied to the end,
/// <c>BREAK</c> a forced chunk break (weight −1); runs of equal weight merged.
/// </summary>
public static partial class PromptParser
{
    public const string Break = "BREAK";

    public static List<(string Text, double Weight)> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var res = new List<(string Text, double Weight)>();
        var round = new Stack<int>();
        var square = new Stack<int>();
        void Multiply(int start, double m)
        {
            for (var p = start; p < res.Count; p++)
            {
                res[p] = (res[p].Text, res[p].Weight * m);
            }
        }

        foreach (Match m in Attention().Matches(text))
        {
            var piece = m.Value;
            var weight = m.Groups[1];
            if (piece.StartsWith('\\'))
            {
                res.Add((piece[1..], 1.0));
            }
            else if (piece == "(")
            {
                round.Push(res.Count);
            }
            else if (piece == "[")
            {
                square.Push(res.Count);
            }
            else if (weight.Success && round.Count > 0)
            {
                Multiply(round.Pop(), double.Parse(weight.Value, CultureInfo.InvariantCulture));
            }
            else if (piece == ")" && round.Count > 0)
            {
                Multiply(round.Pop(), 1.1);
            }
            else if (piece == "]" && square.Count > 0)
            {
                Multiply(square.Pop(), 1 / 1.1);
            }
            else
            {
                var parts = BreakPattern().Split(piece);
                for (var i = 0; i < parts.Length; i++)
                {
                    if (i > 0)
                    {
                        res.Add((Break, -1));
                    }

                    res.Add((parts[i], 1.0));
                }
            }
        }

        // Unclosed brackets apply to the end; Python pops them in list order, which multiplies the same ranges.
        foreach (var pos in round.Reverse())
        {
            Multiply(pos, 1.1);
        }

        foreach (var pos in square.Reverse())
        {
            Multiply(pos, 1 / 1.1);
        }

        if (res.Count == 0)
        {
            res.Add(("", 1.0));
        }

        for (var i = 0; i + 1 < res.Count;)
        {
            if (res[i].Weight == res[i + 1].Weight)
            {
                res[i] = (res[i].Text + res[i + 1].Text, res[i].Weight);
                res.RemoveAt(i + 1);
            }
            else
            {
                i++;
            }
        }

        return res;
    }

    [GeneratedRegex(@"\\\(|\\\)|\\\[|\\]|\\\\|\\|\(|\[|:\s*([+-]?[.\d]+)\s*\)|\)|]|[^\\()\[\]:]+|:")]
    private static partial Regex Attention();

    [GeneratedRegex(@"\s*\bBREAK\b\s*")]
    private static partial Regex BreakPattern();
}
