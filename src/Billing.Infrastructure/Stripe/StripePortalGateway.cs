using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Metrics;
using Billing.Application.PortalSessions;
using global::Stripe;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// Creates billing portal sessions through the SDK's raw request: the SDK still authenticates, retries with one
/// idempotency key, times out and turns Stripe's errors into <see cref="StripeException"/>, but the form is written
/// here and only the three fields used are read back. The typed <c>SessionService</c> encodes its options by reflection
/// on every call (about 7% of the API's CPU in the benchmark's profile) and parses the whole session.
/// </summary>
internal sealed class StripePortalGateway(StripeClient stripeClient, IOptions<StripeOptions> options, BillingMetrics metrics)
    : IStripePortalGateway
{
    private const string Operation = "billing_portal.sessions.create";
    private const string Path = "/v1/billing_portal/sessions";

    // Strict: a session without its id or url is no session.
    private static readonly JsonSerializerOptions ResponseJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    // Stripe's words when the account has never saved its portal settings; it sends no error code for it.
    private const string NoPortalConfigurationMessage = "No configuration provided";

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
            var response = await stripeClient.RawRequestAsync(HttpMethod.Post, Path, ToForm(parameters), requestOptions: null, deadline.Token);
            if (ReadSession(response.Content) is not { } session)
            {
                metrics.StripeRequestEnded(Operation, Stopwatch.GetElapsedTime(started), "invalid_response");
                throw new PaymentProviderException(
                    $"Stripe answered {(int)response.StatusCode} without a billing portal session, request id {response.RequestId ?? "none"}.",
                    response.RequestId);
            }

            metrics.StripeRequestEnded(Operation, Stopwatch.GetElapsedTime(started), errorType: null);
            return new CreatedPortalSession(session.Id, session.Url, session.Configuration, response.RequestId);
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
        StripeException stripe => stripe.StripeError?.Type ?? $"http_{(int)stripe.HttpStatusCode}",
        HttpRequestException => "connection_error",
        _ => "timeout",
    };

    private static CreatedSession? ReadSession(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<CreatedSession>(json, ResponseJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The request body, as Stripe's API reference names the parameters.</summary>
    private string ToForm(PortalSessionParameters parameters)
    {
        var form = new StringBuilder(256);
        void Add(string name, string? value)
        {
            if (value is null)
            {
                return;
            }

            form.Append(form.Length == 0 ? "" : "&").Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        Add("customer", parameters.StripeCustomerId);
        Add("return_url", parameters.ReturnUrl);
        Add("locale", parameters.Locale);
        Add("configuration", parameters.PortalConfigurationId ?? defaultConfigurationId);
        if (parameters.Flow is { } flow)
        {
            var wireName = flow.ToWireName();
            Add("flow_data[type]", wireName);
            // After the task, send the user straight back instead of leaving them on the portal.
            Add("flow_data[after_completion][type]", "redirect");
            Add("flow_data[after_completion][redirect][return_url]", parameters.ReturnUrl);
            if (flow is PortalFlow.SubscriptionCancel or PortalFlow.SubscriptionUpdate)
            {
                Add($"flow_data[{wireName}][subscription]", parameters.StripeSubscriptionId);
            }
        }

        return form.ToString();
    }

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

    // The fields of Stripe's billing_portal.session that the service uses; the url is never logged or stored.
    private sealed record CreatedSession(string Id, string Url, string? Configuration = null);
}
