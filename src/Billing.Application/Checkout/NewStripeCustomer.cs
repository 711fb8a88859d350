using Billing.Domain.Tenants;

namespace Billing.Application.Checkout;

/// <summary>The Stripe customer to create for a tenant that has none.</summary>
/// <param name="TenantId">Stored in its <c>metadata[tenant_id]</c>, and the source of its idempotency key.</param>
/// <param name="Email">The signed-in user's <c>email</c> claim, if the token has one.</param>
/// <param name="Name">The signed-in user's <c>name</c> claim, if the token has one.</param>
public sealed record NewStripeCustomer(TenantId TenantId, string? Email, string? Name);
