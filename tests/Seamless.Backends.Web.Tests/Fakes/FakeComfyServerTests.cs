using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seamless.Backends.Web.ComfyUi;

namespace Seamless.Tests.Fakes;

/// <summary>The fake refuses what ComfyUI's /prompt refuses, so a client bug cannot pass against it.</summary>
public sealed class FakeComfyServerTests : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private FakeComfyServer _server = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir.File("checkpoints"));
        File.WriteAllBytes(_dir.File("checkpoints/a.safetensors"), [1]);
        _server = await FakeComfyServer.StartAsync(_dir.File("checkpoints"));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private static Dictionary<string, object> Good() =>
        ComfyGraph.TextToImage("a.safetensors", "1girl", "lowres", 1, 1, 64, 64, 4, 7, "euler", "normal", "x");

    private async Task<(HttpStatusCode Status, JsonElement Body)> Post(object graph)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(_server.Url, "/prompt"), new { prompt = graph, client_id = "t" });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task Prompt_TheClientsGraph_Accepted()
    {
        var (status, body) = await Post(Good());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.TryGetProperty("prompt_id", out _));
    }

    [Fact]
    public async Task Prompt_UnknownNodeClass_InvalidPrompt()
    {
        var graph = Good();
        graph["9"] = new Dictionary<string, object> { ["class_type"] = "SaveImageTypo", ["inputs"] = new Dictionary<string, object>() };
        var (status, body) = await Post(graph);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_prompt", body.GetProperty("error").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("3", "positive", "missing")]
    [InlineData("3", "model", "link to a missing node")]
    [InlineData("3", "positive", "link of the wrong type")]
    [InlineData("3", "sampler_name", "value not in the list")]
    [InlineData("5", "width", "string for an INT")]
    public async Task Prompt_BrokenInput_NodeErrorsForThatNode(string node, string input, string how)
    {
        var graph = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, JsonElement>>>(JsonSerializer.Serialize(Good()))!;
        var inputs = JsonSerializer.Deserialize<Dictionary<string, object?>>(graph[node]["inputs"].GetRawText())!;
        switch (how)
        {
            case "missing":
                inputs.Remove(input);
                break;
            case "link to a missing node":
                inputs[input] = new object[] { "42", 0 };
                break;
            case "link of the wrong type":
                inputs[input] = new object[] { "4", 0 };   // MODEL where CONDITIONING is wanted
                break;
            case "value not in the list":
                inputs[input] = "no_such_sampler";
                break;
            default:
                inputs[input] = "64";
                break;
        }

        graph[node]["inputs"] = JsonSerializer.SerializeToElement(inputs);
        var (status, body) = await Post(graph);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("prompt_outputs_failed_validation", body.GetProperty("error").GetProperty("type").GetString());
        var errors = body.GetProperty("node_errors");
        Assert.Equal([node], errors.EnumerateObject().Select(p => p.Name));
        Assert.Contains(input, errors.GetProperty(node).GetProperty("errors")[0].GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompt_NoOutputNode_Refused()
    {
        var graph = Good();
        graph.Remove(ComfyGraph.SaveNode);
        var (status, body) = await Post(graph);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("prompt_no_outputs", body.GetProperty("error").GetProperty("type").GetString());
    }
}
