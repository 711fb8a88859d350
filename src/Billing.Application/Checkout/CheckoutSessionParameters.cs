using Billing.Domain.Tenants;

namespace Billing.Application.Checkout;

/// <summary>Everything the gateway sends to Stripe for a subscription Checkout session, all of it already checked.</summary>
public sealed record CheckoutSessionParameters(
    TenantId TenantId,
    string StripeCustomerId,
    string PriceId,
    int Quantity,
    string SuccessUrl,
    string CancelUrl,
    string? Locale,
    bool AllowPromotionCodes);
