using System.Text.Json;
using Billing.Application.Subscriptions;
using Billing.Domain.Tenants;
using Microsoft.Extensions.Logging;

namespace Billing.Application.StripeEvents;

/// <summary>
/// Acts on one stored event. An event is a signal, not the truth: for every type that touches a subscription, the
/// customer's subscriptions are read from Stripe again, so that the order, age and repetition of events cannot leave
/// wrong state.
/// </summary>
public sealed partial class StripeEventProcessor(
    ITenantBillingRepository billing, SubscriptionSync sync, ILogger<StripeEventProcessor> logger)
{
    /// <exception cref="Common.Exceptions.PaymentProviderException">Stripe failed; the event is worth retrying.</exception>
    public async Task<StripeEventOutcome> ProcessAsync(StripeEvent stripeEvent, CancellationToken cancellationToken)
    {
        using var payload = JsonDocument.Parse(stripeEvent.Payload);
        var dataObject = payload.RootElement.GetProperty("data").GetProperty("object");
        if (stripeEvent.Type == StripeEventTypes.CustomerDeleted)
        {
            return await UnlinkAsync(StringOf(dataObject, "id"), cancellationToken);
        }

        if (!StripeEventTypes.SyncCustomer.Contains(stripeEvent.Type))
        {
            return StripeEventOutcome.Ignore("not a type this service acts on");
        }

        if (IdOf(dataObject, "customer") is not { } customerId)
        {
            return StripeEventOutcome.Ignore("names no customer");
        }

        if (stripeEvent.Type == StripeEventTypes.CheckoutSessionCompleted)
        {
            await LinkCheckoutCustomerAsync(stripeEvent, dataObject, customerId, cancellationToken);
        }

        if (await billing.FindTenantByCustomerAsync(customerId, cancellationToken) is not { } tenantId)
        {
            return StripeEventOutcome.Ignore("the customer belongs to no tenant");
        }

        await sync.SyncAsync(tenantId, customerId, cancellationToken);
        return StripeEventOutcome.Done(tenantId);
    }

    private async Task<StripeEventOutcome> UnlinkAsync(string? customerId, CancellationToken cancellationToken) =>
        customerId is not null && await billing.UnlinkCustomerAsync(customerId, cancellationToken) is { } tenantId
            ? StripeEventOutcome.Done(tenantId)
            : StripeEventOutcome.Ignore("the customer belongs to no tenant");

    /// <summary>
    /// A completed Checkout names the tenant it was started for (<c>client_reference_id</c>, or <c>metadata.tenant_id</c>):
    /// that is how a tenant's first customer gets linked. An existing, different link is never replaced.
    /// </summary>
    private async Task LinkCheckoutCustomerAsync(StripeEvent stripeEvent, JsonElement session, string customerId, CancellationToken cancellationToken)
    {
        var reference = StringOf(session, "client_reference_id")
            ?? (session.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object ? StringOf(metadata, "tenant_id") : null);
        if (!TenantId.TryParse(reference, out var tenantId))
        {
            return;
        }

        var link = await billing.LinkCustomerAsync(tenantId, customerId, cancellationToken);
        if (link is CustomerLink.TenantHasAnotherCustomer or CustomerLink.CustomerHasAnotherTenant)
        {
            LogLinkConflict(logger, stripeEvent.Id, tenantId, customerId, link);
        }
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    // An expandable field is an id, or the expanded object with its id.
    private static string? IdOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? StringOf(value, "id") : StringOf(element, name);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Event {EventId}: Checkout for tenant {TenantId} completed with customer {StripeCustomerId}, which was not linked ({Link}); a person must decide which customer the tenant keeps")]
    private static partial void LogLinkConflict(ILogger logger, string eventId, TenantId tenantId, string stripeCustomerId, CustomerLink link);
}
