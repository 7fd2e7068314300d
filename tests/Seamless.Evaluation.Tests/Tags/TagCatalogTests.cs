using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Tags;

namespace Seamless.Tests.Tags;

public class TagCatalogTests
{
    [Fact]
    public void Default_HasTheOriginalTopLevelCategories()
    {
        var catalog = TagCatalog.Default();
        foreach (var top in new[] { "artistic licence", "character", "humanities & scenery", "composition", "objects", "nature", "restricted" })
        {
            Assert.Contains(top, catalog.Categories);
        }

        Assert.Equal(TagCatalog.Other, catalog.Categories[^1]);
        Assert.Equal(["character", "character/hair"], catalog.CategoriesOf("long hair"));
    }

    [Fact]
    public void Parse_TagInTwoCategories_CountsUnderBoth()
    {
        var catalog = TagCatalog.Parse("c.json", "{\"character/pose\": [\"Upper_Body\"], \"composition/framing\": [\"upper body\"], \"objects\": [\"sword\"]}");
        Assert.Equal(["character", "character/pose", "composition", "composition/framing"], catalog.CategoriesOf("upper body"));
        Assert.Equal(["objects"], catalog.CategoriesOf("sword"));
        Assert.Equal([TagCatalog.Other], catalog.CategoriesOf("unknown tag"));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"categories\": {\"a\": \"sword\"}}")]
    [InlineData("{\"a\": [1]}")]
    [InlineData("{\"other\": [\"x\"]}")]
    [InlineData("{")]
    public void Parse_Malformed_CatalogInvalidNamingFile(string json)
    {
        var ex = Assert.Throws<EvaluationException>(() => TagCatalog.Parse("my-catalog.json", json));
        Assert.Equal(EvaluationError.CatalogInvalid, ex.Reason);
        Assert.StartsWith("my-catalog.json: ", ex.Message, StringComparison.Ordinal);
    }
}
