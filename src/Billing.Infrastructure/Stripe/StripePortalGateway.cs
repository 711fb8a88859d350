using Billing.Application.PortalSessions;
using global::Stripe;
using global::Stripe.BillingPortal;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Stripe;

/// <summary>Creates billing portal sessions with Stripe.net's <see cref="SessionService"/>.</summary>
internal sealed class StripePortalGateway(IStripeClient stripeClient, StripeCalls calls, IOptions<StripeOptions> options)
    : IStripePortalGateway
{
    private const string Operation = "billing_portal.sessions.create";

    private readonly SessionService sessions = new(stripeClient);
    private readonly string? defaultConfigurationId = options.Value.PortalConfigurationId;

    public Task<CreatedPortalSession> CreateSessionAsync(PortalSessionParameters parameters, CancellationToken cancellationToken) =>
        calls.RunAsync(Operation, parameters.StripeCustomerId, async deadline =>
        {
            var session = await sessions.CreateAsync(ToOptions(parameters), requestOptions: null, deadline);
            return string.IsNullOrEmpty(session.Id) || string.IsNullOrEmpty(session.Url)
                ? throw StripeCalls.IncompleteAnswer(session, "a billing portal session")
                : new CreatedPortalSession(session.Id, session.Url, session.ConfigurationId, session.StripeResponse?.RequestId);
        }, cancellationToken);

    private SessionCreateOptions ToOptions(PortalSessionParameters parameters) => new()
    {
        Customer = parameters.StripeCustomerId,
        ReturnUrl = parameters.ReturnUrl,
        Locale = parameters.Locale,
        Configuration = parameters.PortalConfigurationId ?? defaultConfigurationId,
        FlowData = parameters.Flow is { } flow ? ToFlowData(flow, parameters) : null,
    };

    private static SessionFlowDataOptions ToFlowData(PortalFlow flow, PortalSessionParameters parameters) => new()
    {
        Type = flow.ToWireName(),
        // After the task, send the user straight back instead of leaving them on the portal.
        AfterCompletion = new SessionFlowDataAfterCompletionOptions
        {
            Type = "redirect",
            Redirect = new SessionFlowDataAfterCompletionRedirectOptions { ReturnUrl = parameters.ReturnUrl },
        },
        SubscriptionCancel = flow == PortalFlow.SubscriptionCancel
            ? new SessionFlowDataSubscriptionCancelOptions { Subscription = parameters.StripeSubscriptionId }
            : null,
        SubscriptionUpdate = flow == PortalFlow.SubscriptionUpdate
            ? new SessionFlowDataSubscriptionUpdateOptions { Subscription = parameters.StripeSubscriptionId }
            : null,
    };
}
