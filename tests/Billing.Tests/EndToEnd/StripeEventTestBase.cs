using System.Globalization;
using System.Net;
using System.Text.Json;
using Billing.Tests.Support;
using Microsoft.Extensions.Logging.Testing;

namespace Billing.Tests.EndToEnd;

/// <summary>
/// An API that receives Stripe events: two webhook secrets (as during a rotation), retries due at once and an event
/// dead after <see cref="MaxAttempts"/> attempts, so that the worker's whole life fits in a test.
/// </summary>
public abstract class StripeEventTestBase : EndToEndTestBase
{
    internal const string WebhookSecret = "whsec_test_events_current_0123456789abcdef";
    internal const string RotatedWebhookSecret = "whsec_test_events_rotated_0123456789abcdef";
    internal const int MaxAttempts = 3;

    internal static readonly string[] Processed = ["processed"];

    /// <summary>The states the worker leaves an event in when it is done with it.</summary>
    internal static readonly string[] Done = ["processed", "ignored", "dead"];

    /// <summary>The webhook settings of these fixtures, for an API in-process or in a child process alike.</summary>
    internal static IReadOnlyDictionary<string, string?> WebhookSettings { get; } = new Dictionary<string, string?>
    {
        ["Stripe:WebhookSecrets:0"] = WebhookSecret,
        ["Stripe:WebhookSecrets:1"] = RotatedWebhookSecret,
        ["Stripe:WebhookFirstRetrySeconds"] = "0",
        ["Stripe:WebhookMaxAttempts"] = MaxAttempts.ToString(CultureInfo.InvariantCulture),
    };

    protected override IReadOnlyDictionary<string, string?> SettingOverrides => WebhookSettings;

    internal static string IdOf(string eventBody)
    {
        using var document = JsonDocument.Parse(eventBody);
        return document.RootElement.GetProperty("id").GetString()!;
    }

    protected async Task<HttpResponseMessage> PostEventAsync(string body, string? signature)
    {
        using var request = StripeWebhookSigner.Request(body, signature);
        return await Client.SendAsync(request);
    }

    /// <summary>Delivers the event signed with the current secret, as Stripe does, and returns its id once the API has answered 200.</summary>
    protected async Task<string> DeliverAsync(string body)
    {
        using var response = await PostEventAsync(body, StripeWebhookSigner.Sign(body, WebhookSecret));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return IdOf(body);
    }

    private protected Task<StoredStripeEvent> WaitForEventAsync(string eventId, string[] states) =>
        StripeEventRows.WaitForStateAsync(ConnectionString, eventId, states);

    /// <summary>A new tenant linked to a new customer, for whom the Stripe fake lists <paramref name="subscriptions"/>.</summary>
    internal async Task<(Guid Tenant, string Customer)> SeededCustomerAsync(params FakeSubscription[] subscriptions)
    {
        var tenant = Guid.NewGuid();
        var customer = NewCustomerId();
        await TenantSeeder.UpsertAsync(ConnectionString, tenant, customer);
        Stripe.SetSubscriptions(customer, subscriptions);
        return (tenant, customer);
    }

    internal static string NewCustomerId() => $"cus_test_{Guid.NewGuid():N}";

    /// <summary>A subscription of its own id, created at <paramref name="created"/> (whole seconds), otherwise as <see cref="FakeSubscription"/> defaults.</summary>
    internal static FakeSubscription NewSubscription(string status, DateTimeOffset created) => new($"sub_test_{Guid.NewGuid():N}", status, created);

    /// <summary>Whether the record's message, properties, scopes or exception mention <paramref name="text"/>.</summary>
    internal static bool Mentions(FakeLogRecord record, string text)
    {
        bool In(string? value) => value?.Contains(text, StringComparison.Ordinal) == true;
        bool InScope(object? scope) => scope is IEnumerable<KeyValuePair<string, object?>> properties
            ? properties.Any(property => In(property.Value?.ToString()))
            : In(scope?.ToString());
        return In(record.Message)
            || (record.StructuredState?.Any(property => In(property.Value)) ?? false)
            || record.Scopes.Any(InScope)
            || In(record.Exception?.ToString());
    }
}
