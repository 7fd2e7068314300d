using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Seamless.Tests.Fakes;

namespace Seamless.Tests.TestSupport;

/// <summary>
/// A fake laid out like the Hugging Face hub: <c>/{repo}/resolve/main/{file}</c> answers the file's bytes from
/// <paramref name="content"/> (null: 404).
/// </summary>
internal sealed class LoopbackHub(string repo, Func<string, byte[]?> content) : FakeServer(string.Empty)
{
    protected override void Map(WebApplication app) =>
        app.MapGet($"/{repo}/resolve/main/{{**file}}", (string file) => content(file) is { } bytes ? Results.Bytes(bytes) : Results.NotFound());
}
