using System.Diagnostics;
using System.Net;
using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Metrics;
using global::Stripe;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// How every gateway calls Stripe: one deadline across the SDK's retries (its own timeout applies per attempt), the
/// call's duration on the Stripe histogram, and Stripe's failures as the application's exceptions, without Stripe's
/// message, which can quote a redacted API key.
/// </summary>
internal sealed class StripeCalls(IOptions<StripeOptions> options, BillingMetrics metrics)
{
    // The error type of a 200 answer that is not the object asked for: the SDK then raises a StripeException without an error object.
    private const string InvalidResponse = "invalid_response";

    // The error type of a call the shared budget refused before it reached Stripe.
    private const string BudgetSpent = "budget_spent";

    // Stripe's words when the account has never saved its portal settings; it sends no error code for it.
    private const string NoPortalConfigurationMessage = "No configuration provided";

    private readonly TimeSpan timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);

    /// <param name="operation">The <c>stripe.operation</c> tag, e.g. <c>billing_portal.sessions.create</c>.</param>
    /// <param name="stripeCustomerId">The customer the call is about, if any; named by the exception if Stripe does not know it.</param>
    /// <param name="call">The SDK call, given the deadline's token.</param>
    /// <param name="cancellationToken">The caller's token; its cancellation is rethrown as it is.</param>
    /// <exception cref="UnknownStripeCustomerException">Stripe answered <c>resource_missing</c> for the customer.</exception>
    /// <exception cref="StripeBusyException">The shared budget refused the call, or Stripe answered 429.</exception>
    /// <exception cref="PaymentProviderException">Any other failure, the deadline included.</exception>
    public async Task<T> RunAsync<T>(string operation, string? stripeCustomerId, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await call(deadline.Token);
            metrics.StripeRequestEnded(operation, Stopwatch.GetElapsedTime(started), errorType: null);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            metrics.StripeRequestEnded(operation, Stopwatch.GetElapsedTime(started), "cancelled");
            throw;
        }
        catch (StripeBusyException)
        {
            metrics.StripeRequestEnded(operation, Stopwatch.GetElapsedTime(started), BudgetSpent);
            throw;
        }
        catch (Exception exception) when (exception is StripeException or HttpRequestException or OperationCanceledException)
        {
            metrics.StripeRequestEnded(operation, Stopwatch.GetElapsedTime(started), ErrorType(exception));
            throw ToApplicationException(exception, operation, stripeCustomerId);
        }
    }

    /// <summary>For a 200 that lacks what the caller needs: fails the call as the SDK fails an unreadable answer.</summary>
    public static StripeException IncompleteAnswer(StripeResponse answer, string what) =>
        new(HttpStatusCode.OK, stripeError: null, $"Stripe answered without {what}.") { StripeResponse = answer };

    private Exception ToApplicationException(Exception exception, string operation, string? stripeCustomerId) => exception switch
    {
        // The SDK does not retry a 429; the budget has slowed every instance down, and the user is asked to come back.
        StripeException { HttpStatusCode: HttpStatusCode.TooManyRequests } stripe => new StripeBusyException(
            TimeSpan.FromSeconds(1), $"Stripe answered 429 to {operation}.", stripe.StripeResponse?.RequestId),
        StripeException { StripeError: { Code: "resource_missing", Param: "customer" } } stripe when stripeCustomerId is not null =>
            new UnknownStripeCustomerException(stripeCustomerId, stripe.StripeResponse?.RequestId),
        StripeException stripe => ToProviderFailure(stripe, operation),
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

    private static PaymentProviderException ToProviderFailure(StripeException exception, string operation)
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
            $"code {exception.StripeError?.Code ?? "none"}, param {exception.StripeError?.Param ?? "none"}) to {operation}, " +
            $"request id {requestId ?? "none"}.",
            requestId);
    }
}
