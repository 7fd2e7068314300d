using Seamless.Cli.Infrastructure;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Tagging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary>
/// <c>seamless tagger fetch OWNER/NAME</c>: downloads a tagger's files from a Hugging Face repository
/// (<c>{hub}/{repo}/resolve/{revision}/{file}</c>) into a local folder, each through a temp file and a rename, then
/// checks that the folder loads as a tagger. The only command that goes online; every other takes a local path.
/// </summary>
public sealed class TaggerFetchCommand(CliConsoles consoles) : AsyncCommand<TaggerFetchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TaggerFetchSettings settings, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(settings.Out ?? Path.Combine("taggers", settings.Repo.Split('/')[1]));
        Directory.CreateDirectory(folder);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        var token = Environment.GetEnvironmentVariable("HF_TOKEN");
        if (!string.IsNullOrEmpty(token))
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        foreach (var file in settings.Files.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var url = $"{settings.Hub.TrimEnd('/')}/{settings.Repo}/resolve/{Uri.EscapeDataString(settings.Revision)}/{Uri.EscapeDataString(file)}";
            var target = Path.Combine(folder, file);
            var temp = target + ".part";
            try
            {
                using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw new EvaluationException(url, EvaluationError.TaggerInvalid, $"answered {(int)response.StatusCode} {response.ReasonPhrase}; check the repository and file names (gated repositories need HF_TOKEN)");
                }

                await using (var output = File.Create(temp))
                {
                    await response.Content.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                }

                File.Move(temp, target, overwrite: true);
            }
            catch (HttpRequestException ex)
            {
                throw new EvaluationException(url, EvaluationError.TaggerInvalid, $"could not be downloaded: {ex.Message}", ex);
            }
            finally
            {
                File.Delete(temp);
            }

            consoles.Out.MarkupLine(Markup.Escape($"  {file}: {new FileInfo(target).Length / 1024.0 / 1024.0:F1} MiB"));
        }

        var spec = TaggerSpecLoader.Load(folder);
        using (var tagger = Seamless.Tagging.Onnx.OnnxTagger.Open(spec))
        {
            consoles.Out.MarkupLine(Markup.Escape($"Tagger ready in {folder}: {spec.Family}, {tagger.Labels.Count} labels, input {tagger.InputSize}². Use it with --tagger {folder}"));
        }

        return 0;
    }
}
