using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Seamless.Evaluation.Scoring;

namespace Seamless.Evaluation.Bench;

/// <summary>
/// The original system's two tables from a bench: per-category accuracy of each model with the average and each
/// model's Δ% against it, and accuracy by tags per prompt. Markdown for people, CSV and JSON for programs.
/// </summary>
public static class BenchTables
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Rows: "overall", then categories in catalog order that any model has pairs in.</summary>
    public static IReadOnlyList<string> Rows(BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = new List<string> { "overall" };
        rows.AddRange(result.CategoryOrder.Where(c => result.Models.Any(m => m.Report.Categories.ContainsKey(c))));
        return rows;
    }

    public static Accuracy? Cell(BenchModelResult model, string row)
    {
        ArgumentNullException.ThrowIfNull(model);
        return row == "overall" ? model.Report.Overall : model.Report.Categories.GetValueOrDefault(row);
    }

    /// <summary>Mean over the models that have the row; null when none has.</summary>
    public static double? Average(BenchResult result, string row)
    {
        ArgumentNullException.ThrowIfNull(result);
        var values = result.Models.Select(m => Cell(m, row)?.Value).Where(v => v is not null && !double.IsNaN(v.Value)).Select(v => v!.Value).ToList();
        return values.Count == 0 ? null : values.Average();
    }

    /// <summary>Mean diversity over the models that measured it; null when none did.</summary>
    public static double? AverageDiversity(BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var values = result.Models.Select(m => m.Report.Diversity).Where(v => v is not null).Select(v => v!.Value).ToList();
        return values.Count == 0 ? null : values.Average();
    }

    /// <summary>100 · (value − average) / average.</summary>
    public static double? DeltaPercent(double? value, double? average) =>
        value is null || average is null or 0 ? null : 100 * (value.Value - average.Value) / average.Value;

    public static string Markdown(BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var names = ShortNames(result);
        var sb = new StringBuilder();
        sb.Append(Inv, $"Tag accuracy, {result.Protocol.Prompts} prompts × {result.Protocol.ImagesPerPrompt} images, {result.Protocol.TagsPerPrompt} tags per prompt, seed {result.Protocol.Seed}; backend {result.Backend}; tagger {result.Tagger}. Intervals are 95 %, clustered by prompt.\n\n");
        sb.Append("| category | ").AppendJoin(" | ", names).Append(" | average | ").AppendJoin(" | ", names.Select(n => $"Δ% {n}")).Append(" |\n");
        sb.Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", (names.Count * 2) + 1))).Append('\n');
        foreach (var row in Rows(result))
        {
            var avg = Average(result, row);
            sb.Append("| ").Append(row).Append(" | ");
            sb.AppendJoin(" | ", result.Models.Select(m => Cell(m, row) is { } a ? $"{a.Value:P1} ({a.Low:P0}–{a.High:P0})" : "—"));
            sb.Append(" | ").Append(avg is null ? "—" : avg.Value.ToString("P1", Inv)).Append(" | ");
            sb.AppendJoin(" | ", result.Models.Select(m => DeltaPercent(Cell(m, row)?.Value, avg) is { } d ? d.ToString("+0.0;-0.0;0.0", Inv) : "—"));
            sb.Append(" |\n");
        }

        if (result.Models.Any(m => m.Report.Diversity is not null))
        {
            // Diversity is not a category: a row of its own under the table, with the same average and Δ%.
            var avg = AverageDiversity(result);
            sb.Append("| diversity | ").AppendJoin(" | ", result.Models.Select(m => m.Report.Diversity is { } v ? v.ToString("0.000", Inv) : "—"));
            sb.Append(" | ").Append(avg is null ? "—" : avg.Value.ToString("0.000", Inv)).Append(" | ");
            sb.AppendJoin(" | ", result.Models.Select(m => DeltaPercent(m.Report.Diversity, avg) is { } d ? d.ToString("+0.0;-0.0;0.0", Inv) : "—"));
            sb.Append(" |\n");
        }

        var counts = result.Models.SelectMany(m => m.ByTagCount.Keys).Distinct().Order().ToList();
        if (counts.Count > 0)
        {
            var diversity = result.Models.Any(m => m.DiversityByTagCount is not null);
            sb.Append(diversity ? "\nAccuracy by tags per prompt (diversity in brackets)\n\n| tags | " : "\nAccuracy by tags per prompt\n\n| tags | ").AppendJoin(" | ", names).Append(" |\n|---:|").Append(string.Concat(Enumerable.Repeat("---:|", names.Count))).Append('\n');
            foreach (var n in counts)
            {
                sb.Append(Inv, $"| {n} | ").AppendJoin(" | ", result.Models.Select(m =>
                    (m.ByTagCount.TryGetValue(n, out var a) ? a.Value.ToString("P1", Inv) : "—")
                    + (m.DiversityByTagCount?.TryGetValue(n, out var d) == true ? $" ({d.ToString("0.000", Inv)})" : ""))).Append(" |\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// The rimo benchmark's layout (测试结果/模型对标签大类-准确率768.md @ 207edc90, 模型对标签个数.md @ c871f7b6): models as
    /// rows and 艺术破格 … 限制级, 总体 as columns, three decimals; the average of the given models with each model's Δ%
    /// against it (as the original's readme reports +37.48 %); then tag counts as rows and models as columns, the best
    /// of each row in bold. The categories here are pooled over the multi-tag prompts' pairs; the original's category
    /// table came from its single-tag test.
    /// </summary>
    public static string RimoMarkdown(BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var names = ShortNames(result);
        var columns = Protocols.RimoBenchmark.Categories.Append("总体").ToList();
        Accuracy? Value(BenchModelResult m, string column) => column == "总体" ? m.Report.Overall : m.Report.Categories.GetValueOrDefault(column);
        string Number(double? v) => v is { } x && !double.IsNaN(x) ? x.ToString("0.000", Inv) : "-";
        var sb = new StringBuilder();
        sb.Append(Inv, $"rimo protocol: {result.Protocol.TagsPerPrompt} tags × {result.Protocol.Prompts} prompts × {result.Protocol.ImagesPerPrompt} images, seed {result.Protocol.Seed}; backend {result.Backend}; tagger {result.Tagger}.\n");
        sb.Append("Columns: ").AppendJoin(", ", columns.Select(c => $"{c} ({Protocols.RimoBenchmark.English[c]})")).Append(".\n\n");
        sb.Append("| | ").AppendJoin(" | ", columns).Append(" |\n|---|").Append(string.Concat(Enumerable.Repeat("---:|", columns.Count))).Append('\n');
        for (var i = 0; i < result.Models.Count; i++)
        {
            sb.Append("| ").Append(names[i]).Append(" | ").AppendJoin(" | ", columns.Select(c => Number(Value(result.Models[i], c)?.Value))).Append(" |\n");
        }

        var averages = columns.Select(c => result.Models.Select(m => Value(m, c)?.Value).Where(v => v is not null && !double.IsNaN(v.Value)).Select(v => v!.Value).DefaultIfEmpty(double.NaN).Average()).ToList();
        sb.Append("| 平均值 (average) | ").AppendJoin(" | ", averages.Select(a => Number(a))).Append(" |\n");
        sb.Append("\n| | 平均值 | ").AppendJoin(" | ", names.Select(n => $"偏差 {n}")).Append(" |\n|---|---:|").Append(string.Concat(Enumerable.Repeat("---:|", names.Count))).Append('\n');
        for (var c = 0; c < columns.Count; c++)
        {
            var average = double.IsNaN(averages[c]) ? (double?)null : averages[c];
            sb.Append("| ").Append(columns[c]).Append(" | ").Append(Number(averages[c])).Append(" | ");
            sb.AppendJoin(" | ", result.Models.Select(m => DeltaPercent(Value(m, columns[c])?.Value, average) is { } d ? d.ToString("+0.00;-0.00;0.00", Inv) + "%" : "-"));
            sb.Append(" |\n");
        }

        var counts = result.Models.SelectMany(m => m.ByTagCount.Keys).Distinct().Order().ToList();
        if (counts.Count > 0)
        {
            sb.Append("\n模型对标签个数-准确率 (accuracy by tags per prompt)\n\n| | ").AppendJoin(" | ", names).Append(" |\n|---:|").Append(string.Concat(Enumerable.Repeat("---:|", names.Count))).Append('\n');
            foreach (var n in counts)
            {
                var row = result.Models.Select(m => m.ByTagCount.TryGetValue(n, out var a) ? a.Value : double.NaN).ToList();
                var best = row.Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Max();
                sb.Append(Inv, $"| {n} | ").AppendJoin(" | ", row.Select(v => double.IsNaN(v) ? "-" : v == best && names.Count > 1 ? $"**{Number(v)}**" : Number(v))).Append(" |\n");
            }

            // 模型对标签个数-准确率和多样性.md @ 207edc90 follows accuracy with diversity by tag count, three decimals.
            if (result.Models.Any(m => m.DiversityByTagCount is not null))
            {
                sb.Append("\n模型对标签个数-多样性 (diversity by tags per prompt)\n\n| | ").AppendJoin(" | ", names).Append(" |\n|---:|").Append(string.Concat(Enumerable.Repeat("---:|", names.Count))).Append('\n');
                foreach (var n in counts)
                {
                    sb.Append(Inv, $"| {n} | ").AppendJoin(" | ", result.Models.Select(m => m.DiversityByTagCount?.TryGetValue(n, out var d) == true ? Number(d) : "-")).Append(" |\n");
                }
            }
        }

        return sb.ToString();
    }

    public static string Csv(BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder("model,table,row,accuracy,low,high,pairs,detected,delta_percent\n");
        foreach (var m in result.Models)
        {
            foreach (var row in Rows(result))
            {
                if (Cell(m, row) is { } a)
                {
                    var d = DeltaPercent(a.Value, Average(result, row));
                    sb.Append(Inv, $"{Quote(m.Path)},category,{Quote(row)},{a.Value:R},{a.Low:R},{a.High:R},{a.Pairs},{a.Detected},{(d is null ? "" : d.Value.ToString("R", Inv))}\n");
                }
            }

            foreach (var (n, a) in m.ByTagCount.OrderBy(kv => kv.Key))
            {
                sb.Append(Inv, $"{Quote(m.Path)},tag_count,{n},{a.Value:R},{a.Low:R},{a.High:R},{a.Pairs},{a.Detected},\n");
            }

            // Diversity rows put the diversity in the value column; interval and counts do not apply.
            if (m.Report.Diversity is { } overall)
            {
                sb.Append(Inv, $"{Quote(m.Path)},diversity,overall,{overall:R},,,,,{(DeltaPercent(overall, AverageDiversity(result)) is { } dd ? dd.ToString("R", Inv) : "")}\n");
            }

            foreach (var (n, d) in (m.DiversityByTagCount ?? new Dictionary<int, double>()).OrderBy(kv => kv.Key))
            {
                sb.Append(Inv, $"{Quote(m.Path)},diversity_tag_count,{n},{d:R},,,,,\n");
            }
        }

        return sb.ToString();
    }

    public static string Json(BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var models = new JsonArray();
        foreach (var m in result.Models)
        {
            var categories = new JsonObject();
            var intervals = new JsonObject();
            foreach (var (c, a) in m.Report.Categories)
            {
                categories[c] = a.Value;
                intervals[c] = new JsonArray(a.Low, a.High);
            }

            var byCount = new JsonObject();
            foreach (var (n, a) in m.ByTagCount.OrderBy(kv => kv.Key))
            {
                byCount[n.ToString(Inv)] = a.Value;
            }

            var o = m.Report.Overall;
            models.Add(new JsonObject
            {
                ["path"] = m.Path,
                ["sha256"] = m.Sha256,
                ["overall"] = o.Value,
                ["interval"] = new JsonArray(o.Low, o.High),
                ["pairs"] = o.Pairs,
                ["detected"] = o.Detected,
                ["categories"] = categories,
                ["category_intervals"] = intervals,
                ["by_tag_count"] = byCount,
                ["diversity"] = m.Report.Diversity,
                ["diversity_by_tag_count"] = m.DiversityByTagCount is null ? null : new JsonObject(m.DiversityByTagCount.OrderBy(kv => kv.Key).Select(kv => KeyValuePair.Create(kv.Key.ToString(Inv), (JsonNode?)kv.Value))),
            });
        }

        var p = result.Protocol;
        var root = new JsonObject
        {
            ["backend"] = result.Backend,
            ["tagger"] = result.Tagger,
            ["catalog"] = result.Catalog,
            ["protocol"] = new JsonObject
            {
                ["prompts"] = p.Prompts,
                ["tags_per_prompt"] = p.TagsPerPrompt,
                ["images_per_prompt"] = p.ImagesPerPrompt,
                ["seed"] = p.Seed,
                ["width"] = p.Width,
                ["height"] = p.Height,
                ["steps"] = p.Steps,
                ["sampler"] = p.Sampler,
                ["scheduler"] = p.Scheduler,
                ["cfg"] = p.Cfg,
                ["negative"] = p.Negative,
            },
            ["models"] = models,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>File names without extension, made unique.</summary>
    private static List<string> ShortNames(BenchResult result)
    {
        var names = result.Models.Select(m => System.IO.Path.GetFileNameWithoutExtension(m.Path)).ToList();
        return names.Select((n, i) => names.Count(x => x == n) > 1 ? $"{n}#{i + 1}" : n).ToList();
    }

    private static string Quote(string s) => s.Contains(',', StringComparison.Ordinal) || s.Contains('"', StringComparison.Ordinal) ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
