using Seamless.Evaluation.Generation;

namespace Seamless.Backends.Embedded;

/// <summary>
/// What a host that loads this assembly as a plug-in calls (by reflection, with types it shares): the CLI keeps
/// TorchSharp out of its own dependencies this way.
/// </summary>
public static class EmbeddedEntryPoint
{
    public static IImageGenerator Create(string? vocabulary, int clipSkip, int? threads, string? device) =>
        new EmbeddedGenerator(new EmbeddedOptions(vocabulary, clipSkip, threads, device));
}
