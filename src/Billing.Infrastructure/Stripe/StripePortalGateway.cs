using System.Text;
using System.Text.Json;
using Billing.Application.PortalSessions;
using global::Stripe;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// Creates billing portal sessions through the SDK's raw request: the SDK still authenticates, retries with one
/// idempotency key and turns Stripe's errors into <see cref="StripeException"/>, but the form is written here and only
/// the fields used are read back. The typed <c>SessionService</c> encodes its options by reflection on every call and
/// parses the whole session; measured, that costs a fifth of the portal's throughput on 2 cores, and with it the
/// steady-state target of many users waiting on a slow Stripe (docs/decisions/0006-no-hand-written-fast-paths.md).
/// </summary>
internal sealed class StripePortalGateway(StripeClient stripeClient, StripeCalls calls, IOptions<StripeOptions> options)
    : IStripePortalGateway
{
    private const string Operation = "billing_portal.sessions.create";
    private const string Path = "/v1/billing_portal/sessions";

    private static readonly JsonSerializerOptions SessionJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly string? defaultConfigurationId = options.Value.PortalConfigurationId;

    public Task<CreatedPortalSession> CreateSessionAsync(PortalSessionParameters parameters, CancellationToken cancellationToken) =>
        calls.RunAsync(Operation, parameters.StripeCustomerId, async deadline =>
        {
            var response = await stripeClient.RawRequestAsync(HttpMethod.Post, Path, ToForm(parameters), requestOptions: null, deadline);
            return ReadSession(response.Content) is { Id.Length: > 0, Url.Length: > 0 } session
                ? new CreatedPortalSession(session.Id, session.Url, session.Configuration, response.RequestId)
                : throw StripeCalls.IncompleteAnswer(response, "a billing portal session");
        }, cancellationToken);

    private static SessionFields? ReadSession(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<SessionFields>(json, SessionJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The request body, with the parameter names of Stripe's API reference.</summary>
    private string ToForm(PortalSessionParameters parameters)
    {
        var form = new StringBuilder(256);
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                form.Append(form.Length == 0 ? "" : "&").Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            }
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

    // The fields of Stripe's billing_portal.session that the service uses; the url is never logged or stored.
    private sealed record SessionFields(string? Id, string? Url, string? Configuration);
}
