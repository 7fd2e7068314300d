using System.Globalization;
using System.Text.Json;
using Seamless.Evaluation.Errors;

namespace Seamless.Evaluation.Tags;

/// <summary>
/// A tagger's output labels, read from a WD-style <c>selected_tags.csv</c> (<c>tag_id,name,category,count</c>) or
/// an ML-Danbooru-style <c>classes.json</c> (a JSON list of names). Names are canonical (<see cref="TagText"/>).
/// </summary>
public sealed class TaggerLabels
{
    private readonly Dictionary<string, TaggerLabel> _byName;

    public TaggerLabels(IReadOnlyList<TaggerLabel> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        All = labels;
        _byName = new Dictionary<string, TaggerLabel>(StringComparer.Ordinal);
        foreach (var l in labels)
        {
            _byName.TryAdd(l.Name, l);
        }
    }

    public IReadOnlyList<TaggerLabel> All { get; }

    public int Count => All.Count;

    public TaggerLabel? Find(string canonicalName) => _byName.GetValueOrDefault(canonicalName);

    /// <summary>Reads a label file, choosing the format by extension (.csv or .json).</summary>
    public static TaggerLabels Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new EvaluationException(path, EvaluationError.LabelFileInvalid, "label file not found");
        }

        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => ParseCsv(path, File.ReadAllText(path)),
            ".json" => ParseJson(path, File.ReadAllText(path)),
            _ => throw new EvaluationException(path, EvaluationError.LabelFileInvalid, "expected a selected_tags.csv or a classes.json label file"),
        };
    }

    public static TaggerLabels ParseCsv(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        var header = lines.Length > 0 ? lines[0].Trim().TrimStart('\uFEFF') : "";
        var columns = header.Split(',');
        int Col(string name) => Array.IndexOf(columns, name);
        var (iName, iCat, iCount) = (Col("name"), Col("category"), Col("count"));
        if (iName < 0 || iCat < 0)
        {
            throw new EvaluationException(path, EvaluationError.LabelFileInvalid, $"header must name the columns name and category (tag_id,name,category,count), found '{header}'");
        }

        var labels = new List<TaggerLabel>();
        for (var li = 1; li < lines.Length; li++)
        {
            var line = lines[li].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var cells = SplitCsvLine(line);
            if (cells.Count != columns.Length)
            {
                throw new EvaluationException(path, EvaluationError.LabelFileInvalid, $"line {li + 1} has {cells.Count} cells, the header has {columns.Length}");
            }

            if (!int.TryParse(cells[iCat], NumberStyles.Integer, CultureInfo.InvariantCulture, out var category))
            {
                throw new EvaluationException(path, EvaluationError.LabelFileInvalid, $"line {li + 1}: category '{cells[iCat]}' is not a number");
            }

            long? count = null;
            if (iCount >= 0)
            {
                if (!long.TryParse(cells[iCount], NumberStyles.Integer, CultureInfo.InvariantCulture, out var c))
                {
                    throw new EvaluationException(path, EvaluationError.LabelFileInvalid, $"line {li + 1}: count '{cells[iCount]}' is not a number");
                }

                count = c;
            }

            var name = TagText.Canonical(cells[iName]);
            if (name.Length == 0)
            {
                throw new EvaluationException(path, EvaluationError.LabelFileInvalid, $"line {li + 1}: empty tag name");
            }

            labels.Add(new TaggerLabel(labels.Count, name, (TagKind)category, count));
        }

        if (labels.Count == 0)
        {
            throw new EvaluationException(path, EvaluationError.LabelFileInvalid, "no labels");
        }

        return new TaggerLabels(labels);
    }

    public static TaggerLabels ParseJson(string path, string text)
    {
        string[]? names;
        try
        {
            names = JsonSerializer.Deserialize<string[]>(text);
        }
        catch (JsonException ex)
        {
            throw new EvaluationException(path, EvaluationError.LabelFileInvalid, $"expected a JSON list of tag names: {ex.Message}", ex);
        }

        if (names is null || names.Length == 0)
        {
            throw new EvaluationException(path, EvaluationError.LabelFileInvalid, "expected a non-empty JSON list of tag names");
        }

        var labels = new List<TaggerLabel>(names.Length);
        foreach (var n in names)
        {
            var name = TagText.Canonical(n ?? "");
            if (name.Length == 0)
            {
                throw new EvaluationException(path, EvaluationError.LabelFileInvalid, $"entry {labels.Count} is empty");
            }

            var kind = name.StartsWith("rating:", StringComparison.Ordinal) ? TagKind.Rating : TagKind.General;
            labels.Add(new TaggerLabel(labels.Count, name, kind, null));
        }

        return new TaggerLabels(labels);
    }

    // Names may be quoted when they contain commas ("ok, sign" style tags are rare but exist).
    private static List<string> SplitCsvLine(string line)
    {
        var cells = new List<string>();
        var sb = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    sb.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    sb.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(sb.ToString());
                sb.Clear();
            }
            else
            {
                sb.Append(c);
            }
        }

        cells.Add(sb.ToString());
        return cells;
    }
}
