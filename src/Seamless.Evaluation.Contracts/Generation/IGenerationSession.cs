namespace Seamless.Evaluation.Generation;

/// <summary>One candidate loaded in a backend. Every image returned was verified to come from that candidate.</summary>
public interface IGenerationSession : IAsyncDisposable
{
    Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken);
}
