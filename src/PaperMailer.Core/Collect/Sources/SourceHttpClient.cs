using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace PaperMailer.Collect.Sources;

/// <summary>
/// GET with a per-request timeout and bounded retries: timeouts, broken bodies, 429 and 5xx answers are retried after
/// the server's Retry-After or an exponential backoff; other answers and unreachable hosts fail at once. Every failure
/// ends in one sentence naming the source and URL.
/// </summary>
public sealed class SourceHttpClient(HttpClient http, TimeProvider clock, ILogger<SourceHttpClient> logger)
{
    public async Task<byte[]> GetAsync(string source, Uri url, HttpSourceOptions options, RequestPacer? pacer, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcome = pacer is null
                ? await AttemptAsync(source, url, options, cancellationToken)
                : await pacer.RunAsync(() => AttemptAsync(source, url, options, cancellationToken), cancellationToken);
            if (outcome.Body is { } body) return body;

            var times = attempt == 1 ? "once" : $"{attempt} times";
            if (attempt > options.MaxRetries)
            {
                throw new SourceUnavailableException($"{source}: {url} {outcome.Problem}, tried {times}; the source is skipped until its next run.");
            }
            var delay = outcome.RetryAfter ?? Backoff(options.RetryBaseDelay, attempt);
            if (delay > options.MaxRetryDelay)
            {
                throw new SourceUnavailableException($"{source}: {url} {outcome.Problem} and asked to wait {delay}, longer than MaxRetryDelay ({options.MaxRetryDelay}); the source is skipped until its next run.");
            }
            logger.LogWarning("{Source}: {Url} {Problem}; retrying in {Delay}", source, url, outcome.Problem, delay);
            await Task.Delay(delay, clock, cancellationToken);
        }
    }

    private async Task<Outcome> AttemptAsync(string source, Uri url, HttpSourceOptions options, CancellationToken cancellationToken)
    {
        // The timeout measures the remote server, so it runs on real time rather than the injected clock.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new Outcome(await response.Content.ReadAsByteArrayAsync(timeout.Token), null, null);
            }
            var answer = $"answered {code} {response.ReasonPhrase}".TrimEnd();
            if (code != (int)HttpStatusCode.TooManyRequests && code < 500)
            {
                throw new SourceUnavailableException($"{source}: {url} {answer}, which is not worth retrying.");
            }
            return new Outcome(null, answer, RetryAfter(response.Headers.RetryAfter));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Outcome(null, $"did not answer within {options.Timeout}", null);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError)
        {
            // An unreachable host will not be reachable a few seconds later either: report it once and move on.
            throw new SourceUnavailableException($"{source}: cannot reach {url} ({ex.Message.TrimEnd('.')}).", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return new Outcome(null, $"broke off the answer ({ex.Message.TrimEnd('.')})", null);
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date) return date - clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        return null;
    }

    private static TimeSpan Backoff(TimeSpan baseDelay, int attempt) => baseDelay * Math.Pow(2, Math.Min(attempt - 1, 10));

    private sealed record Outcome(byte[]? Body, string? Problem, TimeSpan? RetryAfter);
}
