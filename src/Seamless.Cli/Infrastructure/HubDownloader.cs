using Seamless.Errors;

namespace Seamless.Cli.Infrastructure;

/// <summary>
/// Files from a Hugging Face–style hub (<c>{hub}/{repo}/resolve/{revision}/{file}</c>), each written through a
/// <c>.part</c> file and a rename, so an interrupted download never leaves a file that looks complete. <c>HF_TOKEN</c>,
/// when set, is sent for gated repositories. The only online code in Seamless; only the fetch commands use it.
/// </summary>
public sealed class HubDownloader : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(30) };
    private readonly string _hub;

    public HubDownloader(string hub)
    {
        _hub = hub.TrimEnd('/');
        var token = Environment.GetEnvironmentVariable("HF_TOKEN");
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>Downloads one file into <paramref name="folder"/>; returns its size in bytes.</summary>
    private Task<long> FetchAsync(string repo, string revision, string file, string folder, CancellationToken cancellationToken) =>
        FetchUrlAsync(FileUrl(_hub, repo, revision, file), Path.Combine(folder, file), cancellationToken);

    /// <summary><c>{hub}/{repo}/resolve/{revision}/{file}</c>, each segment of a file in a subfolder escaped on its own.</summary>
    public static string FileUrl(string hub, string repo, string revision, string file)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(file);
        return $"{hub.TrimEnd('/')}/{repo}/resolve/{Uri.EscapeDataString(revision)}/{string.Join('/', file.Split('/').Select(Uri.EscapeDataString))}";
    }

    /// <summary>Downloads <paramref name="url"/> to <paramref name="target"/> through a .part file; returns its size in bytes.</summary>
    public async Task<long> FetchUrlAsync(string url, string target, CancellationToken cancellationToken)
    {
        var temp = target + ".part";
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new DownloadException(url, $"answered {(int)response.StatusCode} {response.ReasonPhrase}; check the address (a Hugging Face repository or file name, or HF_TOKEN for a gated one)");
            }

            await using (var output = File.Create(temp))
            {
                await response.Content.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, target, overwrite: true);
            return new FileInfo(target).Length;
        }
        catch (HttpRequestException ex)
        {
            throw new DownloadException(url, $"could not be downloaded: {ex.Message}", ex);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Downloads <paramref name="files"/> into <paramref name="folder"/> (created if needed), reporting each file's size as it lands.</summary>
    public async Task FetchAllAsync(string repo, string revision, IEnumerable<string> files, string folder, Action<string, long> fetched, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(fetched);
        Directory.CreateDirectory(folder);
        foreach (var file in files)
        {
            fetched(file, await FetchAsync(repo, revision, file, folder, cancellationToken).ConfigureAwait(false));
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Problems with a repository name and hub URL given on the command line, for the fetch commands' validation.</summary>
    public static IEnumerable<string> Problems(string repo, string hub)
    {
        if (repo.Split('/').Length != 2 || repo.Split('/').Any(p => p.Length == 0))
        {
            yield return $"'{repo}' is not OWNER/NAME";
        }

        if (!Uri.TryCreate(hub, UriKind.Absolute, out _))
        {
            yield return $"--hub '{hub}' is not an absolute URL";
        }
    }
}

/// <summary>A file the hub would not give.</summary>
public sealed class DownloadException(string url, string detail, Exception? inner = null) : SeamlessException(url, detail, inner);
