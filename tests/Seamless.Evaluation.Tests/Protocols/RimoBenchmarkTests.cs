using System.Text.Json;
using CsCheck;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Protocols;

namespace Seamless.Tests.Protocols;

public sealed class RimoBenchmarkTests
{
    [Fact]
    public void Protocol_Values_AsTheBenchmarkSourcesGiveThem()
    {
        // RimoChan/stable-diffusion-anime-tag-benchmark, 评测多标签.py @ 749a17944302165eb06e182621592ad3ac0d5061:
        //   f'1 girl, {", ".join(标签组)}' with tags i.strip().replace(' ', '_');
        //   'negative_prompt': 'worst quality, low quality, blurry, greyscale, monochrome'; seed=1;
        //   'sampler_index': 'DPM++ 2M Karras'; 'steps': 30; 'cfg_scale': 7; 'width': 512, 'height': 512;
        //   'batch_size': 4, 'n_iter': 2; for m, n_iter in ((2, 110), (4, 100), (8, 90), (16, 80), (32, 70), (64, 60), (128, 50)).
        var p = RimoBenchmark.Protocol;
        Assert.Equal(["1 girl"], p.Prefix);
        Assert.True(p.Underscores);
        Assert.Equal("worst quality, low quality, blurry, greyscale, monochrome", p.Negative);
        Assert.Equal(1UL, p.Seed);
        Assert.Equal(("DPM++ 2M", "karras"), (p.Sampler, p.Scheduler));
        Assert.Equal((30, 7.0, 512, 512), (p.Steps, p.Cfg, p.Width, p.Height));
        Assert.Equal((8, 4), (p.ImagesPerPrompt, p.BatchSize));
        Assert.Equal([(2, 110), (4, 100), (8, 90), (16, 80), (32, 70), (64, 60), (128, 50)], RimoBenchmark.TagCounts);
        Assert.Equal(0, RimoBenchmark.TagsSeed);

        // common.py @ 90a2ea61…: get_tags_from_image(..., threshold=0.5, keep_ratio=True), size default 512;
        // ml_danbooru.py @ 320a57b3…: DEFAULT_MODEL = 'ml_caformer_m36_dec-5-97527.onnx' from deepghs/ml-danbooru-onnx.
        Assert.Equal((0.5, 512, "ml_caformer_m36_dec-5-97527.onnx", "deepghs/ml-danbooru-onnx"), (RimoBenchmark.Threshold, RimoBenchmark.TaggerSize, RimoBenchmark.TaggerModel, RimoBenchmark.TaggerRepository));

        // 测试结果/模型对标签大类-准确率768.md @ 207edc90…: | 艺术破格 | 人物 | 人文景观 | 构图 | 物品 | 自然 | 限制级 | 总体 |
        Assert.Equal(["艺术破格", "人物", "人文景观", "构图", "物品", "自然", "限制级"], RimoBenchmark.Categories);
    }

    [Fact]
    public void Prompts_EveryTagCount_AsTheOriginalRuleDrawsThem()
    {
        // Golden/rimo_prompts.py restates the benchmark's rule and ran it with Debian's python3 on a made-up list.
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Protocols", "Golden", "rimo_prompts.json")));
        var tags = Enumerable.Range(0, 1500).Select(i => $"tag {i:0000}").ToList();
        foreach (var (m, n) in RimoBenchmark.TagCounts)
        {
            var golden = doc.RootElement.GetProperty(m.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var prompts = RimoBenchmark.Prompts(tags, m, n);
            Assert.Equal(golden.GetProperty("count").GetInt32(), prompts.Count);
            Assert.Equal(golden.GetProperty("first").EnumerateArray().Select(e => e.GetString()), prompts.Take(3).Select(p => p.Text));
            Assert.Equal(golden.GetProperty("last").GetString(), prompts[^1].Text);
            Assert.All(prompts, p => Assert.Equal((1L, RimoBenchmark.Protocol.Negative, m), (p.Seed, p.Negative, p.Tags.Count)));
        }
    }

    [Fact]
    public void ReadTags_CommonPyShape_TheListInOrder()
    {
        const string source = """
            import json
            x = 1
            要测的标签 = ['1girl', 'solo', "long hair",  # a comment
                ':d', '^ ^', '\\m/', ';)',
                'covering eyes', 'diffraction spikes',
            ]
            other = ['not this']
            """;
        Assert.Equal(["1girl", "solo", "long hair", ":d", "^ ^", "\\m/", ";)", "covering eyes", "diffraction spikes"], RimoBenchmark.ReadTags(source, "common.py"));
    }

    [Fact]
    public void ReadCatalog_DirectoryShape_SevenCategoriesCharactersLeftOut()
    {
        const string json = """
            {"artistic-license": {"name": "艺术破格", "keys": ["greyscale", "monochrome"]},
             "human-actions": {"name": "人物-动作", "keys": ["sitting"]},
             "humanities-scenery": {"name": "…", "keys": ["indoors"]},
             "image-composition": {"name": "…", "keys": ["upper body"]},
             "items": {"name": "物品", "keys": ["sword"]},
             "natural-sky": {"name": "…", "keys": ["cloud"]},
             "restricted": {"name": "限制级", "keys": ["nude"]},
             "characters": {"name": "作品角色", "keys": ["hatsune miku"]}}
            """;
        var catalog = RimoBenchmark.ReadCatalog(json, "目录.json");
        Assert.Equal([.. RimoBenchmark.Categories, "other"], catalog.Categories);
        Assert.Equal(["人物"], catalog.CategoriesOf("sitting"));
        Assert.Equal(["构图"], catalog.CategoriesOf("upper_body".Replace('_', ' ')));
        Assert.Equal(["other"], catalog.CategoriesOf("hatsune miku"));
    }

    [Theory]
    [InlineData("要测的标签 = ['a', 'b'", "line 1: the list is not closed")]
    [InlineData("要测的标签 = ['a' 'b']", "expected ',' or ']'")]
    [InlineData("要测的标签 = ['a', 3]", "expected a string, found '3'")]
    [InlineData("要测的标签 = ['a\n', 'b']", "not closed on its line")]
    [InlineData("tags = ['a']", "no list assigned to '要测的标签'")]
    [InlineData("要测的标签 = ['\\x4']", "bad \\x escape")]
    public void ReadTags_Malformed_OneErrorNamingTheFileAndLine(string source, string expected)
    {
        var ex = Assert.Throws<EvaluationException>(() => RimoBenchmark.ReadTags(source, "cache/common.py"));
        Assert.StartsWith("cache/common.py: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_RandomStringsWrittenAsPython_ReadBack()
    {
        // Round trip: any strings, written as Python would write them (repr-style escapes), come back unchanged.
        static string Repr(string s) => "'" + string.Concat(s.Select(c => c switch
        {
            '\\' => "\\\\",
            '\'' => "\\'",
            '\n' => "\\n",
            '\t' => "\\t",
            '\r' => "\\r",
            < ' ' => $"\\x{(int)c:x2}",
            _ => c.ToString(),
        })) + "'";
        Gen.String[Gen.Char, 0, 20].Array[0, 20].Sample(values =>
        {
            var source = $"要测的标签 = [{string.Join(", ", values.Select(Repr))}]\n";
            Assert.Equal(values, PythonListLiteral.Find(source, "要测的标签", "x.py"));
        });
    }
}
