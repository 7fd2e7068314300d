namespace Seamless.Evaluation.Generation;

/// <summary>
/// <see cref="Count"/> images of one prompt with seeds <c>Seed … Seed+Count−1</c>, asked of the backend in calls of
/// at most <see cref="BatchSize"/>. Sampler names follow A1111 (<c>DPM++ 2M</c>); backends translate and verify.
/// </summary>
public sealed record GenerationRequest(
    string Prompt,
    string Negative,
    long Seed,
    int Count,
    int BatchSize,
    int Width,
    int Height,
    int Steps,
    string Sampler,
    string Scheduler,
    double Cfg)
{
    /// <summary>Everything but the prompt and seed that changes the pixels, for cache keys.</summary>
    public string SettingsKey =>
        FormattableString.Invariant($"{Width}x{Height}|{Steps}|{Sampler}|{Scheduler}|{Cfg:R}");
}
