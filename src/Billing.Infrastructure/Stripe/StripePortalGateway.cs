using System.Diagnostics;
using System.Net;
using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Metrics;
using Billing.Application.PortalSessions;
using global::Stripe;
using global::Stripe.BillingPortal;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// Creates billing portal sessions with Stripe.net's <see cref="SessionService"/>. On top of the SDK it adds one
/// deadline across the SDK's retries, the Stripe duration metric, and the translation of Stripe's errors into the
/// application's exceptions, without Stripe's message.
/// </summary>
internal sealed class StripePortalGateway(IStripeClient stripeClient, IOptions<StripeOptions> options, BillingMetrics metrics)
    : IStripePortalGateway
{
    private const string Operation = "billing_portal.sessions.create";

    // The error type of a 200 answer that is not a session: the SDK then raises a StripeException without an error object.
    private const string InvalidResponse = "invalid_response";

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
        var started = Stopwatch.GetTimestamp();
        try
        {
            var session = await sessions.CreateAsync(ToOptions(parameters), requestOptions: null, deadline.Token);
            var requestId = session.StripeResponse?.RequestId;
            if (string.IsNullOrEmpty(session.Id) || string.IsNullOrEmpty(session.Url))
            {
                metrics.StripeRequestEnded(Operation, Stopwatch.GetElapsedTime(started), InvalidResponse);
                throw new PaymentProviderException($"Stripe answered without a billing portal session, request id {requestId ?? "none"}.", requestId);
            }

            metrics.StripeRequestEnded(Operation, Stopwatch.GetElapsedTime(started), errorType: null);
            return new CreatedPortalSession(session.Id, session.Url, session.ConfigurationId, requestId);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            metrics.StripeRequestEnded(Operation, Stopwatch.GetElapsedTime(started), "cancelled");
            throw;
        }
        catch (Exception exception) when (exception is StripeException or HttpRequestException or OperationCanceledException)
        {
            metrics.StripeRequestEnded(Operation, Stopwatch.GetElapsedTime(started), ErrorType(exception));
            throw ToApplicationException(exception, parameters.StripeCustomerId);
        }
    }

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

    private Exception ToApplicationException(Exception exception, string stripeCustomerId) => exception switch
    {
        StripeException { StripeError: { Code: "resource_missing", Param: "customer" } } stripe =>
            new UnknownStripeCustomerException(stripeCustomerId, stripe.StripeResponse?.RequestId),
        StripeException stripe => ToProviderFailure(stripe),
        HttpRequestException => new PaymentProviderException("Stripe could not be reached.", innerException: exception),
        _ => new PaymentProviderException($"Stripe did not answer within {timeout.TotalSeconds:0.#} s.", innerException: exception),
    };

    private static string ErrorType(Exception exception) => exception switch
    {
        StripeException { StripeError.Type: { } type } => type,
        StripeException { HttpStatusCode: HttpStatusCode.OK } => InvalidResponse,
        StripeException stripe => $"http_{(int)stripe.HttpStatusCode}",
        HttpRequestException => "connection_error",
        _ => "timeout",
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
