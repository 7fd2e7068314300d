namespace Seamless.Backends.Embedded;

/// <summary>
/// How the embedded engine draws. <see cref="Vocabulary"/>: a CLIP vocabulary file or folder, or
/// <see cref="ByteLevelVocabulary"/> for tiny fabricated models; null looks in the usual places
/// (<see cref="Engine.Text.VocabularyLocator"/>). <see cref="ClipSkip"/> 1 takes CLIP's last layer, 2 the penultimate (A1111's
/// "clip skip"). <see cref="Threads"/> null leaves libtorch's default (one per core). <see cref="Device"/>: <c>cpu</c> (default),
/// <c>cuda</c>, <c>cuda:N</c>, optionally with a precision (<see cref="Engine.Compute.DeviceSpec"/>).
/// </summary>
public sealed record EmbeddedOptions(string? Vocabulary = null, int ClipSkip = 1, int? Threads = null, string? Device = null)
{
    public const string ByteLevelVocabulary = Engine.Text.VocabularyLocator.ByteLevel;
}
