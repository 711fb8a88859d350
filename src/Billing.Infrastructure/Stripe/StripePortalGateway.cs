using Billing.Application.Common.Exceptions;
using Billing.Application.PortalSessions;
using global::Stripe;
using global::Stripe.BillingPortal;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Stripe;

internal sealed class StripePortalGateway(IStripeClient stripeClient, IOptions<StripeOptions> options) : IStripePortalGateway
{
    // Stripe's words when the account has never saved its portal settings; it sends no error code for it.
    private const string NoPortalConfigurationMessage = "No configuration provided";

    private readonly SessionService sessions = new(stripeClient);
    private readonly TimeSpan timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
    private readonly string? defaultConfigurationId = options.Value.PortalConfigurationId;

    public async Task<CreatedPortalSession> CreateSessionAsync(PortalSessionParameters parameters, CancellationToken cancellationToken)
    {
        // One deadline for the whole call, retries included: the SDK's own timeout applies per attempt.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var session = await sessions.CreateAsync(ToCreateOptions(parameters), requestOptions: null, deadline.Token);
            return new CreatedPortalSession(session.Id, session.Url, session.ConfigurationId, session.StripeResponse?.RequestId);
        }
        catch (StripeException exception) when (exception.StripeError is { Code: "resource_missing", Param: "customer" })
        {
            throw new UnknownStripeCustomerException(parameters.StripeCustomerId, exception.StripeResponse?.RequestId);
        }
        catch (StripeException exception)
        {
            throw ToProviderFailure(exception);
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

    private SessionCreateOptions ToCreateOptions(PortalSessionParameters parameters) => new()
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

    private static PaymentProviderException ToProviderFailure(StripeException exception)
    {
        var requestId = exception.StripeResponse?.RequestId;
        if (exception.StripeError?.Message?.StartsWith(NoPortalConfigurationMessage, StringComparison.Ordinal) == true)
        {
            return new PaymentProviderException(
                "Stripe has no customer portal configuration for this account and mode. Save the portal settings once in the " +
                "Stripe dashboard (Settings > Billing > Customer portal), or set Stripe:PortalConfigurationId to a bpc_ id; " +
                $"request id {requestId ?? "none"}.",
                requestId);
        }

        // Stripe's own message is left out on purpose: it can quote a redacted API key.
        return new PaymentProviderException(
            $"Stripe answered {(int)exception.HttpStatusCode} ({exception.StripeError?.Type ?? "no error type"}, " +
            $"code {exception.StripeError?.Code ?? "none"}, param {exception.StripeError?.Param ?? "none"}) to a billing portal " +
            $"session request, request id {requestId ?? "none"}.",
            requestId);
    }
}
