using System.Security.Cryptography;
using System.Text.Json;

namespace Seamless.Hashing;

/// <summary>
/// Hashes model files once: results are cached by full path, size and modification time in a JSON file under the
/// cache folder (<c>$SEAMLESS_CACHE_DIR</c>, else <c>$XDG_CACHE_HOME/seamless</c>, else <c>~/.cache/seamless</c>),
/// never beside the inputs, which Seamless does not touch.
/// </summary>
public sealed class FileHasher
{
    private const int LegacyOffset = 0x100000;
    private const int LegacyLength = 0x10000;
    private static readonly object CacheLock = new();
    private readonly string? _cacheFile;

    public FileHasher(string? cacheFolder = null)
    {
        var folder = cacheFolder ?? DefaultCacheFolder();
        _cacheFile = folder is null ? null : Path.Combine(folder, "hashes.json");
    }

    public static string? DefaultCacheFolder()
    {
        var explicitFolder = Environment.GetEnvironmentVariable("SEAMLESS_CACHE_DIR");
        if (!string.IsNullOrEmpty(explicitFolder))
        {
            return explicitFolder;
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg))
        {
            return Path.Combine(xdg, "seamless");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache", "seamless");
    }

    public FileHash Hash(string path)
    {
        var info = new FileInfo(path);
        var key = info.FullName;
        var stamp = $"{info.Length}:{info.LastWriteTimeUtc.Ticks}";
        lock (CacheLock)
        {
            if (ReadCache().TryGetValue(key, out var cached) && cached.Stamp == stamp)
            {
                return new FileHash(cached.Sha256, cached.Legacy);
            }
        }

        var hash = Compute(path);
        lock (CacheLock)
        {
            var cache = ReadCache();
            cache[key] = new CacheEntry(stamp, hash.Sha256, hash.LegacyHash);
            WriteCache(cache);
        }

        return hash;
    }

    public static FileHash Compute(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 20, FileOptions.SequentialScan);
        var sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        var legacy = "00000000";
        if (stream.Length >= LegacyOffset + LegacyLength)
        {
            var block = new byte[LegacyLength];
            stream.Position = LegacyOffset;
            stream.ReadExactly(block);
            legacy = Convert.ToHexStringLower(SHA256.HashData(block))[..8];
        }

        return new FileHash(sha, legacy);
    }

    private Dictionary<string, CacheEntry> ReadCache()
    {
        if (_cacheFile is null || !File.Exists(_cacheFile))
        {
            return new(StringComparer.Ordinal);
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, CacheEntry>>(File.ReadAllText(_cacheFile)) ?? new(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return new(StringComparer.Ordinal);
        }
    }

    private void WriteCache(Dictionary<string, CacheEntry> cache)
    {
        if (_cacheFile is null)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_cacheFile)!);
            var temp = _cacheFile + "." + Environment.ProcessId + ".tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(cache));
            File.Move(temp, _cacheFile, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written only costs a re-hash next time.
        }
    }

    private sealed record CacheEntry(string Stamp, string Sha256, string Legacy);
}
