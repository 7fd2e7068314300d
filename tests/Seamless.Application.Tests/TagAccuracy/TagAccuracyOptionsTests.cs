using System.Globalization;
using Seamless.Application.TagAccuracy;
using Seamless.Architecture;
using Seamless.Evaluation.Prompts;

namespace Seamless.Tests.TagAccuracy;

public sealed class TagAccuracyOptionsTests
{
    [Fact]
    public void Bind_UnknownKeyBadValueInvalidOption_EveryProblemInConfigurationNames()
    {
        var problems = new List<string>();
        TagAccuracyOptions.Bind(new Dictionary<string, string> { ["prompt"] = "3", ["steps"] = "many", ["backend"] = "nope", ["models_dir"] = "/m", ["tagger"] = "/nowhere" }, problems);

        Assert.Contains(problems, p => p.StartsWith("tag_accuracy: unknown option 'prompt' (known: ", StringComparison.Ordinal) && p.Contains("models_dir", StringComparison.Ordinal));
        Assert.Contains("tag_accuracy: steps 'many' is not a valid int32", problems);
        Assert.Contains("tag_accuracy: backend must be a1111, forge, comfyui, embedded or toy (is 'nope')", problems);
        Assert.Contains("tag_accuracy: tagger '/nowhere' does not exist", problems);
    }

    [Fact]
    public void Bind_EveryKey_SetsItsOwnProperty()
    {
        // A value unlike the default for every key, so a key bound to the wrong property (or none) is caught.
        var defaults = new TagAccuracyOptions();
        foreach (var (key, property) in TagAccuracyOptions.Keys)
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var text = type == typeof(string) ? "some-" + key
                : type == typeof(bool) ? (!(bool)(property.GetValue(defaults) ?? false)).ToString(CultureInfo.InvariantCulture)
                : "0.5";
            if (type == typeof(int) || type == typeof(ulong))
            {
                text = "977";
            }

            var options = TagAccuracyOptions.Bind(new Dictionary<string, string> { [key] = text }, []);
            var value = property.GetValue(options);
            Assert.NotEqual(property.GetValue(defaults), value);
            Assert.Equal(text, Convert.ToString(value, CultureInfo.InvariantCulture), ignoreCase: true);
            foreach (var other in TagAccuracyOptions.Keys.Values.Where(p => p != property))
            {
                Assert.Equal(other.GetValue(defaults), other.GetValue(options));
            }
        }
    }

    [Fact]
    public void Keys_SnakeCaseOfTheProperties()
    {
        Assert.Equal("models_dir", TagAccuracyOptions.Keys.Single(k => k.Value.Name == nameof(TagAccuracyOptions.ModelsDir)).Key);
        Assert.Equal("tags_per_prompt", TagAccuracyOptions.Keys.Single(k => k.Value.Name == nameof(TagAccuracyOptions.TagsPerPrompt)).Key);
        Assert.Equal("protocol", TagAccuracyOptions.Keys.Single(k => k.Value.Name == nameof(TagAccuracyOptions.Protocol)).Key);
    }

    [Fact]
    public void PromptProtocolFor_Defaults_ThePromptProtocolsOwn()
    {
        var expected = new PromptProtocol();
        var sd1 = new TagAccuracyOptions().PromptProtocolFor(ModelArchitecture.SD1);
        Assert.Equal(expected.Prefix, sd1.Prefix);
        Assert.Equal(expected, sd1 with { Prefix = expected.Prefix });

        var sdxl = new TagAccuracyOptions().PromptProtocolFor(ModelArchitecture.SDXL);
        Assert.Equal((PromptProtocol.Defaults.SdxlSide, PromptProtocol.Defaults.SdxlSide), (sdxl.Width, sdxl.Height));
        Assert.Equal(320, new TagAccuracyOptions { Width = 320 }.PromptProtocolFor(ModelArchitecture.SDXL).Width);
    }

    [Fact]
    public void VaeFor_ModelEntryElseTheDefaultEntry()
    {
        var options = new TagAccuracyOptions { Vae = "a.safetensors=kl.ckpt, b=None, anime.vae" };
        Assert.Equal("kl.ckpt", options.VaeFor("/m/a.safetensors"));
        Assert.Equal("None", options.VaeFor("/m/b.safetensors"));
        Assert.Equal("anime.vae", options.VaeFor("/m/c.safetensors"));
        Assert.Equal(["a.safetensors", "b"], options.VaeModels());
        Assert.Null(new TagAccuracyOptions().VaeFor("/m/a.safetensors"));
    }
}
