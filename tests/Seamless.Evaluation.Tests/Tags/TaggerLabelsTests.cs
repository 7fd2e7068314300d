using CsCheck;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Tags;

namespace Seamless.Tests.Tags;

public class TaggerLabelsTests
{
    private const string Csv = "tag_id,name,category,count\n9999999,general,9,807309\n470575,1girl,0,4411807\n212816,long_hair,0,3434227\n1,\"ok,_sign\",0,12\n2,hatsune_miku,4,100\n";

    [Fact]
    public void ParseCsv_WdFile_NamesKindsAndCounts()
    {
        var labels = TaggerLabels.ParseCsv("selected_tags.csv", Csv);
        Assert.Equal(5, labels.Count);
        Assert.Equal(new TaggerLabel(2, "long hair", TagKind.General, 3434227), labels.All[2]);
        Assert.Equal(TagKind.Rating, labels.All[0].Kind);
        Assert.Equal(TagKind.Character, labels.Find("hatsune miku")!.Kind);
        Assert.Equal(3, labels.Find("ok, sign")!.Index);
    }

    [Fact]
    public void ParseCsv_WrongHeader_ErrorNamesFileAndColumns()
    {
        var ex = Assert.Throws<EvaluationException>(() => TaggerLabels.ParseCsv("x/selected_tags.csv", "id,tag\n1,a\n"));
        Assert.Equal(EvaluationError.LabelFileInvalid, ex.Reason);
        Assert.StartsWith("x/selected_tags.csv: header must name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCsv_BadCount_ErrorNamesLine()
    {
        var ex = Assert.Throws<EvaluationException>(() => TaggerLabels.ParseCsv("t.csv", "tag_id,name,category,count\n1,a,0,many\n"));
        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJson_MlDanbooruList_GeneralLabelsInOrder()
    {
        var labels = TaggerLabels.ParseJson("classes.json", "[\"1girl\", \"long_hair\", \"rating:safe\"]");
        Assert.Equal(["1girl", "long hair", "rating:safe"], labels.All.Select(l => l.Name));
        Assert.Equal(TagKind.Rating, labels.All[2].Kind);
        Assert.Null(labels.All[0].Count);
    }

    [Theory]
    [InlineData("{\"a\": 1}")]
    [InlineData("[]")]
    [InlineData("[\"\"]")]
    [InlineData("not json")]
    public void ParseJson_Malformed_LabelFileInvalid(string text) =>
        Assert.Equal(EvaluationError.LabelFileInvalid, Assert.Throws<EvaluationException>(() => TaggerLabels.ParseJson("classes.json", text)).Reason);

    [Fact]
    public void ParseCsv_HostileText_OnlyEvaluationExceptions()
    {
        Gen.String[Gen.Char["tag_idnmecoru,0123456789\"\n\r "], 0, 200].Sample(text =>
        {
            try
            {
                var labels = TaggerLabels.ParseCsv("fuzz.csv", "tag_id,name,category,count\n" + text);
                Assert.All(labels.All, l => Assert.NotEmpty(l.Name));
            }
            catch (EvaluationException)
            {
            }
        });
    }

    [Fact]
    public void Load_MissingFile_ErrorNamesFile()
    {
        var ex = Assert.Throws<EvaluationException>(() => TaggerLabels.Load("/nonexistent/selected_tags.csv"));
        Assert.Contains("/nonexistent/selected_tags.csv", ex.Message, StringComparison.Ordinal);
    }
}
