namespace Seamless.Hashing;

/// <summary>
/// FNV-1a over a string's UTF-16 code units: the same on every run and platform, unlike <c>string.GetHashCode</c>,
/// which is randomised per process. For seeding streams from names, never for security.
/// </summary>
public static class StableHash
{
    public static ulong Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
