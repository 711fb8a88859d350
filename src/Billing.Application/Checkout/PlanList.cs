namespace Billing.Application.Checkout;

/// <summary>The plans on offer, in configured order.</summary>
public sealed record PlanList(IReadOnlyList<Plan> Plans);
