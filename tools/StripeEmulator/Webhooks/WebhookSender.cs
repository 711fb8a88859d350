using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace StripeEmulator.Webhooks;

/// <summary>
/// POSTs each event to <c>Emulator:WebhookUrl</c>, signed as Stripe signs: <c>Stripe-Signature: t={unix},v1={hex}</c>,
/// the HMAC-SHA256 of <c>{t}.{body}</c> keyed with the whole <c>whsec_…</c> secret. First attempts go out in the order
/// the events happened; a non-2xx answer or a connection failure is retried after each of <c>Emulator:WebhookRetryDelays</c>
/// in turn, re-signed each time, on its own so that it holds up no other event; then the event is given up.
/// </summary>
internal sealed partial class WebhookSender(
    WebhookEvents events,
    IHttpClientFactory clients,
    IOptions<EmulatorOptions> options,
    TimeProvider time,
    ILogger<WebhookSender> logger) : BackgroundService
{
    public const string ClientName = "StripeEmulator.Webhooks";

    private readonly Uri? url = options.Value.WebhookUrl is { } webhookUrl ? new Uri(webhookUrl) : null;
    private readonly byte[] secret = Encoding.UTF8.GetBytes(options.Value.WebhookSecret ?? string.Empty);
    private readonly IReadOnlyList<TimeSpan> retryDelays = options.Value.WebhookRetryDelays ?? EmulatorOptions.DefaultWebhookRetryDelays;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var webhookEvent in events.Pending.ReadAllAsync(stoppingToken))
        {
            if (!await TryDeliverAsync(webhookEvent, attempt: 1, stoppingToken))
            {
                // Not awaited: its retries run beside the next events. It ends with the host (stoppingToken).
                _ = RetryAsync(webhookEvent, stoppingToken);
            }
        }
    }

    private async Task RetryAsync(WebhookEvent webhookEvent, CancellationToken stoppingToken)
    {
        try
        {
            for (var retry = 0; retry < retryDelays.Count; retry++)
            {
                await Task.Delay(retryDelays[retry], time, stoppingToken);
                if (await TryDeliverAsync(webhookEvent, attempt: retry + 2, stoppingToken))
                {
                    return;
                }
            }

            LogGaveUp(logger, webhookEvent.Id, webhookEvent.Type, retryDelays.Count + 1);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TryDeliverAsync(WebhookEvent webhookEvent, int attempt, CancellationToken stoppingToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(webhookEvent.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("Stripe-Signature", $"t={timestamp},v1={Sign(timestamp, webhookEvent.Body)}");
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, stoppingToken);
            LogAnswered(logger, webhookEvent.Id, webhookEvent.Type, attempt, (int)response.StatusCode);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
        {
            // Connection refused, or no answer within the client's timeout.
            LogUnreachable(logger, webhookEvent.Id, webhookEvent.Type, attempt, exception.Message);
            return false;
        }
    }

    private string Sign(string timestamp, byte[] body)
    {
        byte[] signed = [.. Encoding.UTF8.GetBytes(timestamp + "."), .. body];
        return Convert.ToHexStringLower(HMACSHA256.HashData(secret, signed));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {EventId} ({EventType}), attempt {Attempt}: answered {StatusCode}")]
    private static partial void LogAnswered(ILogger logger, string eventId, string eventType, int attempt, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {EventId} ({EventType}), attempt {Attempt}: not delivered ({Reason})")]
    private static partial void LogUnreachable(ILogger logger, string eventId, string eventType, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {EventId} ({EventType}) given up after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, string eventId, string eventType, int attempts);
}
