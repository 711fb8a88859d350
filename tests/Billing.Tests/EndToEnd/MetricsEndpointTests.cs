using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Billing.Tests.Support;

namespace Billing.Tests.EndToEnd;

/// <summary>What an operator's Prometheus scrapes from <c>/metrics</c> after real requests.</summary>
public sealed partial class MetricsEndpointTests : EndToEndTestBase
{
    private static readonly Guid TenantWithCustomer = Guid.NewGuid();
    private static readonly Guid TenantWithoutCustomer = Guid.NewGuid();

    [OneTimeSetUp]
    public async Task SeedTenants()
    {
        await TenantSeeder.UpsertAsync(ConnectionString, TenantWithCustomer, "cus_metrics");
        await TenantSeeder.UpsertAsync(ConnectionString, TenantWithoutCustomer, null);
    }

    [Test]
    public async Task GetMetrics_AfterPortalRequests_CountsEachOutcomeAndTimesEachStripeCall()
    {
        for (var i = 0; i < 3; i++)
        {
            (await PostAsync(TestTokens.ForTenant(TenantWithCustomer))).Dispose();
        }

        (await PostAsync(TestTokens.ForTenant(TenantWithoutCustomer))).Dispose();
        (await PostAsync(TestTokens.ForTenant(TenantWithCustomer), """{"flow":"nope"}""")).Dispose();
        Stripe.RespondWithError(500, "api_error");
        (await PostAsync(TestTokens.ForTenant(TenantWithCustomer))).Dispose();

        using var response = await Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var scrape = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Sample(scrape, "billing_portal_requests_total", """outcome="created"""), Is.EqualTo(3), scrape);
            Assert.That(Sample(scrape, "billing_portal_requests_total", """outcome="no_customer"""), Is.EqualTo(1));
            Assert.That(Sample(scrape, "billing_portal_requests_total", """outcome="invalid_request"""), Is.EqualTo(1));
            Assert.That(Sample(scrape, "billing_portal_requests_total", """outcome="stripe_error"""), Is.EqualTo(1));
            Assert.That(Sample(scrape, "billing_stripe_request_duration_seconds_count", "stripe_operation=\"billing_portal.sessions.create\"",
                exclude: "error_type"), Is.EqualTo(3));
            Assert.That(Sample(scrape, "billing_stripe_request_duration_seconds_count", """error_type="api_error"""), Is.EqualTo(1));
            Assert.That(scrape, Does.Contain("http_server_request_duration_seconds"));
            Assert.That(scrape, Does.Not.Contain(TenantWithCustomer.ToString()).And.Not.Contain("cus_metrics"));
        });
    }

    /// <summary>The value of the one sample of <paramref name="metric"/> whose labels contain <paramref name="label"/> (and not <paramref name="exclude"/>).</summary>
    private static double Sample(string scrape, string metric, string label, string? exclude = null)
    {
        var samples = SampleLine().Matches(scrape)
            .Where(match => match.Groups["name"].Value == metric
                && match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)
                && (exclude is null || !match.Groups["labels"].Value.Contains(exclude, StringComparison.Ordinal)))
            .ToArray();
        Assert.That(samples, Has.Length.EqualTo(1), $"{metric}{{{label}}}");
        return samples.Length == 1 ? double.Parse(samples[0].Groups["value"].Value, CultureInfo.InvariantCulture) : double.NaN;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)\{(?<labels>[^}]*)\} (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
