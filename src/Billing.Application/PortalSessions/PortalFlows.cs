namespace Billing.Application.PortalSessions;

/// <summary>The wire names of <see cref="PortalFlow"/>, and what each flow needs.</summary>
public static class PortalFlows
{
    private static readonly Dictionary<string, PortalFlow> ByWireName = new(StringComparer.Ordinal)
    {
        ["payment_method_update"] = PortalFlow.PaymentMethodUpdate,
        ["subscription_cancel"] = PortalFlow.SubscriptionCancel,
        ["subscription_update"] = PortalFlow.SubscriptionUpdate,
    };

    /// <summary>The names clients send, which are also Stripe's <c>flow_data[type]</c> values.</summary>
    public static IReadOnlyCollection<string> WireNames => ByWireName.Keys;

    public static bool TryParse(string? wireName, out PortalFlow flow) =>
        ByWireName.TryGetValue(wireName ?? string.Empty, out flow);

    public static string ToWireName(this PortalFlow flow) => ByWireName.Single(pair => pair.Value == flow).Key;

    /// <summary>The subscription flows act on the tenant's subscription, which only the server may name.</summary>
    public static bool NeedsSubscription(this PortalFlow flow) => flow is PortalFlow.SubscriptionCancel or PortalFlow.SubscriptionUpdate;
}
