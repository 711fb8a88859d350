using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Tests.Support;

/// <summary>
/// A loopback endpoint that takes webhook deliveries as the API's would and records each, answering 200 unless a test
/// says otherwise; a test waits on the deliveries as they arrive.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    public const string Path = "/webhooks";

    private readonly WebApplication app;
    private readonly Arrivals<ReceivedWebhook> deliveries = new();
    private volatile Func<string, int> statusForType = _ => StatusCodes.Status200OK;

    private WebhookReceiver(WebApplication app)
    {
        this.app = app;
        app.MapPost(Path, async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var received = new ReceivedWebhook(
                context.Request.Headers["Stripe-Signature"].FirstOrDefault(), context.Request.ContentType, body.ToArray(), StatusCodes.Status200OK);
            received = received with { AnsweredStatus = statusForType(received.Type) };
            context.Response.StatusCode = received.AnsweredStatus;
            deliveries.Add(received);
        });
    }

    public string Url => LoopbackHost.BaseUrl(app) + Path;

    /// <param name="port">A port chosen beforehand, e.g. one an emulator has been delivering to in vain; by default any free one.</param>
    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var receiver = new WebhookReceiver(LoopbackHost.CreateBuilder(port).Build());
        await receiver.app.StartAsync();
        return receiver;
    }

    /// <summary>From now on, answers each delivery with the status this gives for its event type.</summary>
    public void AnswerWith(Func<string, int> status) => statusForType = status;

    /// <summary>Returns the deliveries so far once <paramref name="condition"/> holds for them.</summary>
    /// <exception cref="TimeoutException">It did not within 10 s.</exception>
    public Task<IReadOnlyList<ReceivedWebhook>> WaitUntilAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> condition, string awaited) =>
        deliveries.WaitUntilAsync(condition, awaited, TimeSpan.FromSeconds(10));

    /// <summary>Returns once a delivery of each of <paramref name="types"/> has been answered 2xx.</summary>
    public Task<IReadOnlyList<ReceivedWebhook>> WaitForAcceptedAsync(params string[] types) =>
        WaitUntilAsync(
            received => types.All(type => received.Any(delivery => delivery.Type == type && delivery.AnsweredStatus < 300)),
            $"deliveries of {string.Join(", ", types)} answered 2xx");

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
