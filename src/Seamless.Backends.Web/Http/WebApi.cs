using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Seamless.Evaluation.Errors;

namespace Seamless.Backends.Web.Http;

/// <summary>
/// One backend's HTTP client: a Polly pipeline retries transient faults (connection refused, timeouts, 5xx, 408,
/// 429) with exponential backoff and jitter, a per-attempt timeout bounds each call, and anything that survives the
/// retries becomes one <see cref="EvaluationException"/> naming the backend, the call and the server's answer.
/// Other 4xx answers are the caller's mistake and are not retried.
/// </summary>
public sealed class WebApi : IDisposable
{
    private readonly HttpClient _client;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public WebApi(string backend, WebBackendOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Backend = backend;
        Options = options;
        var url = options.Url;
        _client = handler is null ? new HttpClient() : new HttpClient(handler);
        _client.BaseAddress = new UriBuilder(url) { UserName = "", Password = "" }.Uri;
        _client.Timeout = Timeout.InfiniteTimeSpan;
        var auth = options.Auth ?? (string.IsNullOrEmpty(url.UserInfo) ? null : Uri.UnescapeDataString(url.UserInfo));
        if (auth is not null)
        {
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(auth)));
        }

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.Retries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .Handle<TransientResponseException>()
                    .HandleResult(r => IsTransient(r.StatusCode)),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        _pipeline = builder
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    public string Backend { get; }

    public WebBackendOptions Options { get; }

    private string Where => $"{Backend} at {Options.Display}";

    public async Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, "GET " + path, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JsonElement> PostJsonAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, "POST " + path, cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]> GetBytesAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> under the retry pipeline; the attempt throws <see cref="TransientResponseException"/>
    /// for answers that parse but are broken (a corrupt image) so they are retried like a 500.
    /// </summary>
    public async Task<T> RetryAsync<T>(string what, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var retries = new ResiliencePipelineBuilder();
        if (Options.Retries > 0)
        {
            retries.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Options.Retries,
                Delay = Options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<TransientResponseException>(),
            });
        }

        var pipeline = retries.Build();
        try
        {
            return await pipeline.ExecuteAsync(async ct => await attempt(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (TransientResponseException ex)
        {
            throw new EvaluationException(null, EvaluationError.BackendFailed, $"{Where}: {what} kept failing after {Options.Retries + 1} attempts: {ex.Message}", ex);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        string? what = null;
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                async ct =>
                {
                    using var message = request();
                    what = $"{message.Method} {message.RequestUri}";
                    return await _client.SendAsync(message, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TransientResponseException)
        {
            var reason = ex is TimeoutRejectedException ? $"no answer within {Options.AttemptTimeout.TotalSeconds:0.#} s" : ex.Message;
            throw new EvaluationException(null, EvaluationError.BackendFailed, $"{Where}: {what} failed after {Options.Retries + 1} attempts: {reason}", ex);
        }

        if (!response.IsSuccessStatusCode)
        {
            var body = await Tail(response, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            response.Dispose();
            var retried = IsTransient((HttpStatusCode)status) ? $" after {Options.Retries + 1} attempts" : "";
            var hint = status == 401 ? " (wrong or missing --api-auth?)" : status == 404 ? " (is the server started with --api, and is the URL right?)" : "";
            throw new EvaluationException(null, EvaluationError.BackendFailed, $"{Where}: {what} answered {status} {response.ReasonPhrase}{retried}{hint}: {body}");
        }

        return response;
    }

    /// <summary>Status codes worth retrying: the server may succeed next time.</summary>
    internal static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var doc = JsonDocument.Parse(text.Length == 0 ? "null" : text);
            return doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new EvaluationException(null, EvaluationError.BackendFailed, $"{Where}: {what} did not answer JSON: {Shorten(text)}", ex);
        }
    }

    private static async Task<string> Tail(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return Shorten(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (HttpRequestException)
        {
            return "(no body)";
        }
    }

    internal static string Shorten(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= 300 ? oneLine : oneLine[..300] + "…";
    }

    public void Dispose() => _client.Dispose();
}
