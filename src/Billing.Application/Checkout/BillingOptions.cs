namespace Billing.Application.Checkout;

/// <summary>What tenants can subscribe to, and how Checkout is opened for them (section <c>Billing</c>).</summary>
public sealed class BillingOptions
{
    public const string SectionName = "Billing";

    /// <summary>The plans offered, in the order the SPA shows them; empty offers none.</summary>
    public PlanOptions[] Plans { get; set; } = [];

    /// <summary>Whether Checkout shows a field for Stripe promotion codes.</summary>
    public bool AllowPromotionCodes { get; set; }

    /// <summary>
    /// Whether start-up fails when Stripe does not know a plan's price or it is not recurring. Off by default: Stripe
    /// may be unreachable at start, and a service that cannot start cannot open the portal either.
    /// </summary>
    public bool ValidatePlansOnStartup { get; set; }
}
