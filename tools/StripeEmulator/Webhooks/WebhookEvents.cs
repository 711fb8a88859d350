using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using StripeEmulator.Api;
using StripeEmulator.State;

namespace StripeEmulator.Webhooks;

/// <summary>
/// Where changes become Stripe events: each is written once, as Stripe writes an event, and queued for
/// <see cref="WebhookSender"/>. Without <c>Emulator:WebhookUrl</c> nobody listens, and nothing is kept.
/// </summary>
internal sealed class WebhookEvents(IOptions<EmulatorOptions> options, TimeProvider time)
{
    private readonly Channel<WebhookEvent> pending = Channel.CreateUnbounded<WebhookEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly bool delivered = options.Value.WebhookUrl is not null;

    public ChannelReader<WebhookEvent> Pending => pending.Reader;

    /// <summary>
    /// Queues an event of <paramref name="type"/> about <paramref name="dataObject"/> (written by <see cref="StripeJson"/>,
    /// it becomes <c>data.object</c>), caused by the request <paramref name="requestId"/>.
    /// </summary>
    public void Publish(string type, object dataObject, string requestId)
    {
        if (!delivered)
        {
            return;
        }

        var id = Ids.New("evt_");
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id,
            @object = "event",
            api_version = StripeJson.ApiVersion,
            created = time.GetUtcNow().ToUnixTimeSeconds(),
            data = new { @object = dataObject },
            livemode = false,
            pending_webhooks = 1,
            request = new { id = requestId, idempotency_key = (string?)null },
            type,
        }, StripeJson.Options);
        pending.Writer.TryWrite(new WebhookEvent(id, type, body));
    }
}
