using Billing.Application.PortalAudit;

namespace Billing.Application.Checkout;

/// <summary>
/// What a tenant subscribes to. Only <c>priceId</c> is required. The tenant and its Stripe customer never come from
/// here: unknown members, such as a customer or tenant id, are refused.
/// </summary>
/// <param name="PriceId" example="price_1QTeam">One of the plans of <c>GET /api/subscriptions/plans</c>.</param>
/// <param name="Quantity" example="1">Seats, 1 to 10,000; 1 when left out.</param>
/// <param name="SuccessUrl" example="/settings/billing?checkout=success">
/// Where Checkout sends the user after paying, by the same rules as the portal's <c>returnUrl</c>. May hold Stripe's
/// <c>{CHECKOUT_SESSION_ID}</c> placeholder.
/// </param>
/// <param name="CancelUrl" example="/settings/billing?checkout=cancelled">Where Checkout sends the user back without paying; the same rules.</param>
/// <param name="Locale" example="auto"><c>auto</c> or a locale Checkout supports, such as <c>fr</c> or <c>pt-BR</c>.</param>
public sealed record CheckoutRequest(
    string? PriceId = null, int? Quantity = null, string? SuccessUrl = null, string? CancelUrl = null, string? Locale = null)
    : IAuditedRequest
{
    public const int MaxQuantity = 10_000;

    public PortalAuditDetails AskedFor() => new(
        Locale: Locale, ReturnUrl: SuccessUrl, PriceId: PriceId, Quantity: Quantity, Action: PortalAuditActions.Checkout);
}
