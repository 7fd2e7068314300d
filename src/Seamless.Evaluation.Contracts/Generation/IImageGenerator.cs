namespace Seamless.Evaluation.Generation;

/// <summary>
/// A text-to-image backend (A1111/Forge, ComfyUI, the embedded engine). <see cref="OpenAsync"/> makes a candidate
/// the active model (copying it where the server looks, selecting it) and the session's disposal undoes that.
/// </summary>
public interface IImageGenerator : IAsyncDisposable
{
    /// <summary>Stable identity for cache keys and logs, e.g. <c>a1111@http://127.0.0.1:7860</c>.</summary>
    string Name { get; }

    /// <summary>True when the backend builds a candidate from its <see cref="CandidateModel.Recipe"/> in memory, so no file need be written.</summary>
    bool MergesInMemory => false;

    Task<IGenerationSession> OpenAsync(CandidateModel model, CancellationToken cancellationToken);
}
