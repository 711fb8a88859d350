using Billing.Application.PortalAudit;

namespace Billing.Application.PortalSessions;

/// <summary>
/// The optional body of a portal session request. Every member is optional; <c>{}</c> or no body opens the portal's
/// home page and returns the user to the configured page. The tenant and its Stripe customer never come from here.
/// </summary>
/// <param name="ReturnUrl" example="/settings/billing">
/// Where the portal sends the user back to: a path starting with a single <c>/</c> (on <c>App:PublicUrl</c>), or an
/// absolute https URL on an allowed origin. At most 2,048 characters.
/// </param>
/// <param name="Flow" example="payment_method_update">A deep link: <c>payment_method_update</c>, <c>subscription_cancel</c> or <c>subscription_update</c>.</param>
/// <param name="Locale" example="auto"><c>auto</c> or a locale Stripe's portal supports, such as <c>fr</c> or <c>pt-BR</c>.</param>
public sealed record PortalSessionRequest(string? ReturnUrl = null, string? Flow = null, string? Locale = null) : IAuditedRequest
{
    public static PortalSessionRequest Empty { get; } = new();

    public PortalAuditDetails AskedFor() => new(Flow: Flow, Locale: Locale, ReturnUrl: ReturnUrl);
}
