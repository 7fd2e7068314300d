using System.Text.Json;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Prompts;
using Seamless.Evaluation.Tags;

namespace Seamless.Evaluation.Protocols;

/// <summary>
/// The multi-tag benchmark the original system was measured with (RimoChan/stable-diffusion-anime-tag-benchmark), in
/// the version its search called: 评测多标签.py at commit 749a17944302165eb06e182621592ad3ac0d5061 ("era B", tag counts
/// 2…128), which RimoChan/rimo_random_mix's 烙印剧城.py imports as 评测模型. Every value below cites the file it is
/// read from. The tag list and the category directory have no licence that allows bundling them, so they are fetched
/// from the repository at pinned commits (<c>seamless protocol fetch rimo</c>) and read from the cache.
/// </summary>
public static class RimoBenchmark
{
    public const string Name = "rimo";

    public const string Repository = "RimoChan/stable-diffusion-anime-tag-benchmark";

    /// <summary>common.py at 90a2ea619155cf02e34dcfcefbed8ad78c23fba0 holds the tag list as the Python list 要测的标签.</summary>
    public const string TagListCommit = "90a2ea619155cf02e34dcfcefbed8ad78c23fba0";

    public const string TagListPath = "common.py";

    public const string TagListVariable = "要测的标签";

    /// <summary>data/目录.json at 320a57b3deaac441c07f6c2ad4c822c8c70f1164: category key → {name, keys}.</summary>
    public const string CategoriesCommit = "320a57b3deaac441c07f6c2ad4c822c8c70f1164";

    public const string CategoriesPath = "data/目录.json";

    /// <summary>The two files, as (url, file name in the cache folder).</summary>
    public static IReadOnlyList<(Uri Url, string File)> Sources { get; } =
    [
        (new Uri($"https://raw.githubusercontent.com/{Repository}/{TagListCommit}/{TagListPath}"), "common.py"),
        (new Uri($"https://raw.githubusercontent.com/{Repository}/{CategoriesCommit}/data/{Uri.EscapeDataString("目录.json")}"), "categories.json"),
    ];

    /// <summary>
    /// Tags per prompt and prompts per tag count: 评测多标签.py@749a1794 <c>for m, n_iter in ((2, 110), (4, 100), (8, 90),
    /// (16, 80), (32, 70), (64, 60), (128, 50))</c>.
    /// </summary>
    public static IReadOnlyList<(int Tags, int Prompts)> TagCounts { get; } = [(2, 110), (4, 100), (8, 90), (16, 80), (32, 70), (64, 60), (128, 50)];

    /// <summary>评测多标签.py@749a1794: <c>rd = random.Random(tags_seed)</c> with <c>tags_seed=0</c>, one generator per tag count.</summary>
    public const int TagsSeed = 0;

    /// <summary>
    /// The generation settings, 评测多标签.py@749a1794: prompt <c>f'1 girl, {", ".join(标签组)}'</c> with the tags'
    /// spaces as underscores and no weights; negative <c>'worst quality, low quality, blurry, greyscale, monochrome'</c>;
    /// <c>seed=1</c> for every prompt; <c>'sampler_index': 'DPM++ 2M Karras'</c>; <c>'steps': 30</c>; <c>'cfg_scale': 7</c>;
    /// 512×512; <c>'batch_size': 4, 'n_iter': 2</c> (8 images, seeds 1…8 as A1111 numbers a batch).
    /// </summary>
    public static PromptProtocol Protocol { get; } = new()
    {
        Prefix = ["1 girl"],
        Negative = "worst quality, low quality, blurry, greyscale, monochrome",
        Joiner = ", ",
        Underscores = true,
        Seed = 1,
        Sampler = "DPM++ 2M",
        Scheduler = "karras",
        Steps = 30,
        Cfg = 7,
        Width = 512,
        Height = 512,
        ImagesPerPrompt = 8,
        BatchSize = 4,
        TagsPerPrompt = 32,
        Prompts = 70,
        HeldOutPrompts = 0,
        Draw = TagDraw.CPython,
        TagsSeed = TagsSeed,
    };

    /// <summary>
    /// The tagger call, common.py@90a2ea61 and ml_danbooru.py@320a57b3: <c>get_tags_from_image(image, threshold=0.5,
    /// keep_ratio=True)</c> with the default size 512 and model ml_caformer_m36_dec-5-97527.onnx from
    /// deepghs/ml-danbooru-onnx; a tag counts when its sigmoid is ≥ 0.5.
    /// </summary>
    public const string TaggerRepository = "deepghs/ml-danbooru-onnx";

    public const string TaggerModel = "ml_caformer_m36_dec-5-97527.onnx";

    public const int TaggerSize = 512;

    public const double Threshold = 0.5;

    /// <summary>
    /// The seven top categories in the published tables' order (测试结果/模型对标签大类-准确率768.md@207edc90), from a
    /// category key's first dash-part by 导出表格.py@90a2ea61's <c>翻译</c> map; <c>items</c> keeps its own name 物品,
    /// and 作品角色 (characters) is left out as those tables leave it out.
    /// </summary>
    public static IReadOnlyList<string> Categories { get; } = ["艺术破格", "人物", "人文景观", "构图", "物品", "自然", "限制级"];

    /// <summary>The English of <see cref="Categories"/>, for the docs and tables' legend.</summary>
    public static IReadOnlyDictionary<string, string> English { get; } = new Dictionary<string, string>
    {
        ["艺术破格"] = "artistic license",
        ["人物"] = "people",
        ["人文景观"] = "humanities & scenery",
        ["构图"] = "composition",
        ["物品"] = "items",
        ["自然"] = "nature",
        ["限制级"] = "restricted",
        ["总体"] = "overall",
    };

    private static readonly Dictionary<string, string> Translation = new(StringComparer.Ordinal)
    {
        ["artistic"] = "艺术破格",
        ["human"] = "人物",
        ["humanities"] = "人文景观",
        ["image"] = "构图",
        ["natural"] = "自然",
        ["restricted"] = "限制级",
        ["items"] = "物品",
    };

    /// <summary>The tag list from common.py's text.</summary>
    public static IReadOnlyList<string> ReadTags(string commonPy, string file) =>
        PythonListLiteral.Find(commonPy, TagListVariable, file).Select(t => t.Trim()).ToList();

    /// <summary>A catalog of the seven categories from 目录.json's text (<c>{key: {"name", "keys": [tag, …]}}</c>).</summary>
    public static TagCatalog ReadCatalog(string json, string file)
    {
        var byCategory = Categories.ToDictionary(c => c, _ => new List<string>(), StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new EvaluationException(file, EvaluationError.CatalogInvalid, "expected an object of category keys");
            }

            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (!Translation.TryGetValue(entry.Name.Split('-')[0], out var category))
                {
                    continue;
                }

                if (entry.Value.ValueKind != JsonValueKind.Object || !entry.Value.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
                {
                    throw new EvaluationException(file, EvaluationError.CatalogInvalid, $"category '{entry.Name}' has no 'keys' list");
                }

                byCategory[category].AddRange(keys.EnumerateArray().Where(k => k.ValueKind == JsonValueKind.String).Select(k => k.GetString()!));
            }
        }
        catch (JsonException ex)
        {
            throw new EvaluationException(file, EvaluationError.CatalogInvalid, $"not valid JSON: {ex.Message}", ex);
        }

        var catalog = JsonSerializer.Serialize(new { name = Name, categories = byCategory });
        return TagCatalog.Parse(file, catalog);
    }

    /// <summary>
    /// The prompts of one tag count as the benchmark draws them: a fresh <c>random.Random(TagsSeed)</c>, then
    /// <c>rd.sample(要测的标签, m)</c> per prompt; text <c>1 girl, tag_a, tag_b, …</c>; seed 1 for every prompt.
    /// </summary>
    public static IReadOnlyList<Prompt> Prompts(IReadOnlyList<string> tags, int tagsPerPrompt, int count) =>
        PromptSet.WithTagCount(TagPool.Exactly(tags), Protocol, count, tagsPerPrompt).Prompts;
}
