namespace Seamless.Hashing;

/// <summary>
/// Identity of a model file as A1111 shows it: the full sha256, its first 10 hex digits ("shorthash"), and the
/// legacy 8-digit hash (sha256 of the 64 KiB at offset 1 MiB).
/// </summary>
public sealed record FileHash(string Sha256, string LegacyHash)
{
    public string ShortHash => Sha256[..10];
}
