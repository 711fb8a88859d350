using Billing.Domain.Tenants;

namespace Billing.Application.StripeEvents;

/// <summary>What processing an event did.</summary>
/// <param name="Ignored">True when the event needed nothing from this service.</param>
/// <param name="TenantId">The tenant it concerned, when there was one.</param>
/// <param name="Note">Why it was ignored, or what else is worth knowing; never payload data.</param>
public sealed record StripeEventOutcome(bool Ignored, TenantId? TenantId = null, string? Note = null)
{
    public static StripeEventOutcome Done(TenantId tenantId) => new(Ignored: false, tenantId);

    public static StripeEventOutcome Ignore(string note, TenantId? tenantId = null) => new(Ignored: true, tenantId, note);
}
