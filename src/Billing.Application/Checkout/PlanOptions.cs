namespace Billing.Application.Checkout;

/// <summary>One plan on offer (<c>Billing:Plans:n</c>).</summary>
public sealed class PlanOptions
{
    /// <summary>Its recurring Stripe price (<c>price_…</c>).</summary>
    public string PriceId { get; set; } = string.Empty;

    /// <summary>What the SPA calls it, e.g. "Team".</summary>
    public string Name { get; set; } = string.Empty;
}
