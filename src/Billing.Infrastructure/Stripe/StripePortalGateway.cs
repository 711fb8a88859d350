using Billing.Application.Common.Exceptions;
using Billing.Application.PortalSessions;
using global::Stripe;
using global::Stripe.BillingPortal;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Stripe;

internal sealed class StripePortalGateway(IStripeClient stripeClient, IOptions<StripeOptions> options) : IStripePortalGateway
{
    private readonly SessionService sessions = new(stripeClient);
    private readonly TimeSpan timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);

    public async Task<PortalSession> CreateSessionAsync(PortalSessionParameters parameters, CancellationToken cancellationToken)
    {
        var createOptions = new SessionCreateOptions
        {
            Customer = parameters.StripeCustomerId,
            ReturnUrl = parameters.ReturnUrl,
        };

        // One deadline for the whole call, retries included: the SDK's own timeout applies per attempt.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var session = await sessions.CreateAsync(createOptions, requestOptions: null, deadline.Token);
            return new PortalSession(session.Url);
        }
        catch (StripeException exception) when (exception.StripeError is { Code: "resource_missing", Param: "customer" })
        {
            throw new UnknownStripeCustomerException(parameters.StripeCustomerId, exception.StripeResponse?.RequestId);
        }
        catch (StripeException exception)
        {
            var requestId = exception.StripeResponse?.RequestId;
            // Stripe's own message is left out on purpose: it can quote a redacted API key.
            throw new PaymentProviderException(
                $"Stripe answered {(int)exception.HttpStatusCode} ({exception.StripeError?.Type ?? "no error type"}, " +
                $"code {exception.StripeError?.Code ?? "none"}) to a billing portal session request, request id {requestId ?? "none"}.",
                requestId);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PaymentProviderException($"Stripe did not answer within {timeout.TotalSeconds:0.#} s.", innerException: exception);
        }
        catch (HttpRequestException exception)
        {
            throw new PaymentProviderException("Stripe could not be reached.", innerException: exception);
        }
    }
}
