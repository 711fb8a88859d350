using Billing.Application.Checkout;
using global::Stripe;
using global::Stripe.Checkout;

namespace Billing.Infrastructure.Stripe;

/// <summary>Opens subscription Checkout sessions with Stripe.net's typed <see cref="SessionService"/>.</summary>
internal sealed class StripeCheckoutGateway(IStripeClient stripeClient, StripeCalls calls) : IStripeCheckoutGateway
{
    private const string Operation = "checkout.sessions.create";

    private readonly SessionService sessions = new(stripeClient);

    public Task<CreatedCheckoutSession> CreateSessionAsync(CheckoutSessionParameters parameters, CancellationToken cancellationToken) =>
        calls.RunAsync(Operation, parameters.StripeCustomerId, async deadline =>
        {
            var session = await sessions.CreateAsync(ToOptions(parameters), requestOptions: null, deadline);
            return session is { Id.Length: > 0, Url.Length: > 0 }
                ? new CreatedCheckoutSession(session.Id, session.Url, session.StripeResponse?.RequestId)
                : throw StripeCalls.IncompleteAnswer(session.StripeResponse!, "a checkout session");
        }, cancellationToken);

    private static SessionCreateOptions ToOptions(CheckoutSessionParameters parameters)
    {
        var tenant = parameters.TenantId.ToString();
        return new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = parameters.StripeCustomerId,
            LineItems = [new SessionLineItemOptions { Price = parameters.PriceId, Quantity = parameters.Quantity }],
            ClientReferenceId = tenant,
            SubscriptionData = new SessionSubscriptionDataOptions { Metadata = new() { ["tenant_id"] = tenant } },
            SuccessUrl = parameters.SuccessUrl,
            CancelUrl = parameters.CancelUrl,
            Locale = parameters.Locale,
            // Sent either way, so the session never depends on an account-level default.
            AllowPromotionCodes = parameters.AllowPromotionCodes,
        };
    }
}
