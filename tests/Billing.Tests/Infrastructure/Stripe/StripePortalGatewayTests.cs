using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Metrics;
using Billing.Application.PortalSessions;
using Billing.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Billing.Tests.Infrastructure.Stripe;

[Category("Integration")]
public sealed class StripePortalGatewayTests
{
    private const string SecretKey = "sk_test_gateway_0123456789";
    private static readonly PortalSessionParameters Parameters = new("cus_Q1w2e3r4t5", "https://app.example.com/settings/billing");

    private StripeFake stripe = null!;

    [OneTimeSetUp]
    public async Task StartStripeFake() => stripe = await StripeFake.StartAsync();

    [OneTimeTearDown]
    public async Task StopStripeFake() => await stripe.DisposeAsync();

    [SetUp]
    public void ResetStripeFake() => stripe.Reset();

    [Test]
    public async Task CreateSessionAsync_AfterAnEarlierCall_SendsNoClientTelemetry()
    {
        await using var services = BuildServices();
        var gateway = Gateway(services);
        await gateway.CreateSessionAsync(Parameters, CancellationToken.None);

        await gateway.CreateSessionAsync(Parameters, CancellationToken.None);

        Assert.That(stripe.Requests.Select(request => request.ClientTelemetry), Is.All.Null);
    }

    [Test]
    public async Task CreateSessionAsync_DuringATracedRequest_SendsNoTraceContextToStripe()
    {
        await using var services = BuildServices();
        using var incomingRequest = new Activity("incoming request").SetIdFormat(ActivityIdFormat.W3C).Start();

        await Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None);

        Assert.That(stripe.Requests.Single().TraceParent, Is.Null);
    }

    [Test]
    public async Task CreateSessionAsync_StripeSetsACookie_SendsItOnNoLaterCall()
    {
        await using var services = BuildServices();
        var gateway = Gateway(services);
        stripe.SetCookieOnAnswers("route=api-7; Path=/");
        await gateway.CreateSessionAsync(Parameters, CancellationToken.None);

        await gateway.CreateSessionAsync(Parameters with { StripeCustomerId = "cus_OtherTenant" }, CancellationToken.None);

        Assert.That(stripe.Requests.Select(request => request.Cookie), Is.All.Null);
    }

    [Test]
    public async Task CreateSessionAsync_DuringATracedRequest_StillTracesTheStripeCall()
    {
        await using var services = BuildServices();
        var stripeSpans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = span =>
            {
                if (span.GetTagItem("url.full") is string url && url.StartsWith(stripe.BaseUrl, StringComparison.Ordinal))
                {
                    stripeSpans.Enqueue(span);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var incomingRequest = new Activity("incoming request").SetIdFormat(ActivityIdFormat.W3C).Start();

        await Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None);

        Assert.That(stripeSpans.Single().ParentSpanId, Is.EqualTo(incomingRequest.SpanId));
    }

    [Test]
    public async Task CreateSessionAsync_StripeCreatesSession_ReturnsItsUrl()
    {
        await using var services = BuildServices();

        var session = await Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None);

        Assert.That(session.Url, Does.StartWith("https://billing.stripe.com/p/session/test_"));
    }

    [Test]
    public async Task CreateSessionAsync_Always_PostsCustomerAndReturnUrlAsAFormWithTheSecretKey()
    {
        await using var services = BuildServices();

        await Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None);

        var request = stripe.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Path, Is.EqualTo(StripeFake.SessionsPath));
            Assert.That(request.Form, Is.EquivalentTo(new Dictionary<string, string>
            {
                ["customer"] = "cus_Q1w2e3r4t5",
                ["return_url"] = "https://app.example.com/settings/billing",
            }));
            Assert.That(request.Authorization, Is.EqualTo($"Bearer {SecretKey}"));
            Assert.That(request.IdempotencyKey, Is.Not.Null.And.Not.Empty);
        });
    }

    [Test]
    public async Task CreateSessionAsync_StripeCreatesSession_ReturnsItsIdConfigurationAndRequestId()
    {
        await using var services = BuildServices();

        var session = await Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(session.Id, Does.StartWith("bps_"));
            Assert.That(session.ConfigurationId, Is.EqualTo(StripeFake.DefaultConfigurationId));
            Assert.That(session.StripeRequestId, Is.EqualTo("req_fake_1"));
        });
    }

    [Test]
    public async Task CreateSessionAsync_PaymentMethodFlow_SendsFlowDataThatRedirectsBackWhenDone()
    {
        await using var services = BuildServices();

        await Gateway(services).CreateSessionAsync(Parameters with { Flow = PortalFlow.PaymentMethodUpdate }, CancellationToken.None);

        Assert.That(stripe.Requests.Single().Form, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["customer"] = "cus_Q1w2e3r4t5",
            ["return_url"] = "https://app.example.com/settings/billing",
            ["flow_data[type]"] = "payment_method_update",
            ["flow_data[after_completion][type]"] = "redirect",
            ["flow_data[after_completion][redirect][return_url]"] = "https://app.example.com/settings/billing",
        }));
    }

    [TestCase(PortalFlow.SubscriptionCancel, "subscription_cancel")]
    [TestCase(PortalFlow.SubscriptionUpdate, "subscription_update")]
    public async Task CreateSessionAsync_SubscriptionFlow_NamesTheSubscriptionInItsFlowData(PortalFlow flow, string wireName)
    {
        await using var services = BuildServices();
        stripe.SetSubscriptions(Parameters.StripeCustomerId, new FakeSubscription("sub_123", "active", DateTimeOffset.UnixEpoch));

        await Gateway(services).CreateSessionAsync(Parameters with { Flow = flow, StripeSubscriptionId = "sub_123" }, CancellationToken.None);

        var form = stripe.Requests.Single().Form;
        Assert.Multiple(() =>
        {
            Assert.That(form["flow_data[type]"], Is.EqualTo(wireName));
            Assert.That(form[$"flow_data[{wireName}][subscription]"], Is.EqualTo("sub_123"));
            Assert.That(form.Keys.Count(key => key.EndsWith("[subscription]", StringComparison.Ordinal)), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task CreateSessionAsync_Locale_SendsIt()
    {
        await using var services = BuildServices();

        await Gateway(services).CreateSessionAsync(Parameters with { Locale = "pt-BR" }, CancellationToken.None);

        Assert.That(stripe.Requests.Single().Form["locale"], Is.EqualTo("pt-BR"));
    }

    [Test]
    public async Task CreateSessionAsync_ServiceWideConfiguration_IsSentWhenTheTenantHasNone()
    {
        await using var services = BuildServices(portalConfigurationId: "bpc_service");

        await Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None);

        Assert.That(stripe.Requests.Single().Form["configuration"], Is.EqualTo("bpc_service"));
    }

    [Test]
    public async Task CreateSessionAsync_TenantConfiguration_WinsOverTheServiceWideOne()
    {
        await using var services = BuildServices(portalConfigurationId: "bpc_service");

        await Gateway(services).CreateSessionAsync(Parameters with { PortalConfigurationId = "bpc_tenant" }, CancellationToken.None);

        Assert.That(stripe.Requests.Single().Form["configuration"], Is.EqualTo("bpc_tenant"));
    }

    [Test]
    public async Task CreateSessionAsync_AccountHasNoPortalConfiguration_FailsNamingTheFix()
    {
        stripe.RespondWithError(400, "invalid_request_error", message:
            "No configuration provided and your test mode default configuration has not been created. Provide a configuration or create your default by saving your customer portal settings in test mode at https://dashboard.stripe.com/test/settings/billing/portal.");
        await using var services = BuildServices();

        var exception = await Assert.ThrowsAsync<PaymentProviderException>(
            () => Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(exception.Message, Does.Contain("Customer portal").And.Contain("Stripe:PortalConfigurationId"));
            Assert.That(exception.StripeRequestId, Is.EqualTo("req_fake_1"));
        });
    }

    [Test]
    public async Task CreateSessionAsync_SessionWithoutConfiguration_ReturnsItsIdAndUrl()
    {
        stripe.RespondWithBody(200, "{\"id\":\"bps_1\",\"object\":\"billing_portal.session\",\"url\":\"https://billing.stripe.com/p/session/test_1\"}");
        await using var services = BuildServices();

        var session = await Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None);

        Assert.That(session, Is.EqualTo(new CreatedPortalSession("bps_1", "https://billing.stripe.com/p/session/test_1", null, "req_fake_1")));
    }

    [TestCase("null")]
    [TestCase("{\"id\":\"bps_1\",\"object\":\"billing_portal.session\"}")]
    [TestCase("<html>Bad gateway</html>")]
    public async Task CreateSessionAsync_SuccessWithoutASessionUrl_ThrowsPaymentProviderExceptionWithTheRequestId(string body)
    {
        stripe.RespondWithBody(200, body);
        await using var services = BuildServices();

        var exception = await Assert.ThrowsAsync<PaymentProviderException>(
            () => Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None));

        Assert.That(exception.StripeRequestId, Is.EqualTo("req_fake_1"));
    }

    [Test]
    public async Task CreateSessionAsync_ApiBaseWithTrailingSlash_StillRequestsTheRightPath()
    {
        await using var services = BuildServices(apiBase: stripe.BaseUrl + "/");

        await Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None);

        Assert.That(stripe.Requests.Single().Path, Is.EqualTo(StripeFake.SessionsPath));
    }

    [Test]
    public async Task CreateSessionAsync_StripeSaysNoSuchCustomer_ThrowsUnknownStripeCustomer()
    {
        stripe.RespondWithError(400, "invalid_request_error", "resource_missing", "customer", "No such customer: 'cus_Q1w2e3r4t5'");
        await using var services = BuildServices();

        var exception = await Assert.ThrowsAsync<UnknownStripeCustomerException>(
            () => Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(exception.StripeCustomerId, Is.EqualTo("cus_Q1w2e3r4t5"));
            Assert.That(exception.StripeRequestId, Is.EqualTo("req_fake_1"));
        });
    }

    [Test]
    public async Task CreateSessionAsync_ResourceMissingOnAnotherParameter_IsAProviderFailureNotAMissingCustomer()
    {
        stripe.RespondWithError(400, "invalid_request_error", "resource_missing", "configuration", "No such configuration: 'bpc_1'");
        await using var services = BuildServices();

        await Assert.ThrowsAsync<PaymentProviderException>(() => Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None));
    }

    [TestCase(500, "api_error", null)]
    [TestCase(401, "invalid_request_error", null)]
    [TestCase(400, "invalid_request_error", "parameter_invalid_empty")]
    public async Task CreateSessionAsync_StripeFails_ThrowsPaymentProviderExceptionWithTheRequestIdButNotStripesMessage(int status, string type, string? code)
    {
        stripe.RespondWithError(status, type, code, message: "Invalid API Key provided: sk_test_****6789");
        await using var services = BuildServices();

        var exception = await Assert.ThrowsAsync<PaymentProviderException>(
            () => Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(exception.StripeRequestId, Is.EqualTo("req_fake_1"));
            Assert.That(exception.Message, Does.Contain(status.ToString(CultureInfo.InvariantCulture)).And.Contain(type));
            Assert.That(exception.ToString(), Does.Not.Contain("sk_test_"));
        });
    }

    [Test]
    public async Task CreateSessionAsync_Stripe429_ThrowsStripeBusyWithTheRequestIdWithoutRetrying()
    {
        stripe.RespondWithError(429, "rate_limit_error", "rate_limit");
        await using var services = BuildServices(maxNetworkRetries: 2);

        var exception = await Assert.ThrowsAsync<StripeBusyException>(() => Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(stripe.Requests, Has.Count.EqualTo(1));
            Assert.That(exception.StripeRequestId, Is.EqualTo("req_fake_1"));
            Assert.That(exception.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public async Task CreateSessionAsync_Stripe500_IsRetriedWithTheSameIdempotencyKey()
    {
        stripe.RespondWithError(500, "api_error");
        await using var services = BuildServices(maxNetworkRetries: 2);

        await Assert.ThrowsAsync<PaymentProviderException>(() => Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(stripe.Requests, Has.Count.EqualTo(3));
            Assert.That(stripe.Requests.Select(r => r.IdempotencyKey).Distinct().Count(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task CreateSessionAsync_StripeHangs_GivesUpWithinTheTimeoutAcrossRetries()
    {
        stripe.Hang();
        await using var services = BuildServices(timeoutSeconds: 1, maxNetworkRetries: 2);
        var stopwatch = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAsync<PaymentProviderException>(
            () => Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(exception.Message, Does.Contain("did not answer within 1 s"));
            Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        });
    }

    [Test]
    public async Task CreateSessionAsync_NothingListening_ThrowsPaymentProviderException()
    {
        await using var services = BuildServices(apiBase: $"http://127.0.0.1:{UnusedPort.Next()}", maxNetworkRetries: 0);

        var exception = await Assert.ThrowsAsync<PaymentProviderException>(
            () => Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None));

        Assert.That(exception.InnerException, Is.InstanceOf<HttpRequestException>());
    }

    [Test]
    public async Task CreateSessionAsync_CallerCancels_ThrowsOperationCanceledNotAProviderFailure()
    {
        stripe.Hang();
        await using var services = BuildServices(timeoutSeconds: 30);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.That(async () => await Gateway(services).CreateSessionAsync(Parameters, cancellation.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task CreateSessionAsync_StripeCreatesSession_RecordsTheCallsDurationWithoutAnErrorType()
    {
        await using var services = BuildServices();
        using var durations = DurationCollector(services);

        await Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None);

        var measurement = durations.GetMeasurementSnapshot().Single();
        Assert.Multiple(() =>
        {
            Assert.That(measurement.Value, Is.GreaterThan(0).And.LessThan(5));
            Assert.That(measurement.Tags["stripe.operation"], Is.EqualTo("billing_portal.sessions.create"));
            Assert.That(measurement.Tags, Does.Not.ContainKey("error.type"));
        });
    }

    [Test]
    public async Task CreateSessionAsync_StripeFails_RecordsStripesErrorType()
    {
        stripe.RespondWithError(402, "card_error");
        await using var services = BuildServices();
        using var durations = DurationCollector(services);

        await Assert.ThrowsAsync<PaymentProviderException>(() => Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None));

        Assert.That(durations.GetMeasurementSnapshot().Single().Tags["error.type"], Is.EqualTo("card_error"));
    }

    [Test]
    public async Task CreateSessionAsync_StripeHangs_RecordsATimeout()
    {
        stripe.Hang();
        await using var services = BuildServices(timeoutSeconds: 1);
        using var durations = DurationCollector(services);

        await Assert.ThrowsAsync<PaymentProviderException>(() => Gateway(services).CreateSessionAsync(Parameters, CancellationToken.None));

        var measurement = durations.GetMeasurementSnapshot().Single();
        Assert.Multiple(() =>
        {
            Assert.That(measurement.Tags["error.type"], Is.EqualTo("timeout"));
            Assert.That(measurement.Value, Is.GreaterThanOrEqualTo(0.9));
        });
    }

    private static MetricCollector<double> DurationCollector(IServiceProvider services) =>
        new(services.GetRequiredService<IMeterFactory>(), BillingMetrics.MeterName, BillingMetrics.StripeRequestDurationName);

    /// <summary>The gateway as production wires it: options, one IStripeClient, the SDK's HTTP client.</summary>
    private ServiceProvider BuildServices(string? apiBase = null, int timeoutSeconds = 5, int maxNetworkRetries = 0, string? portalConfigurationId = null) =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["ConnectionStrings:Billing"] = "Host=127.0.0.1;Database=unused",
                    ["Stripe:SecretKey"] = SecretKey,
                    ["Stripe:ApiBase"] = apiBase ?? stripe.BaseUrl,
                    ["Stripe:TimeoutSeconds"] = timeoutSeconds.ToString(CultureInfo.InvariantCulture),
                    ["Stripe:MaxNetworkRetries"] = maxNetworkRetries.ToString(CultureInfo.InvariantCulture),
                    ["Stripe:PortalConfigurationId"] = portalConfigurationId,
                    // The gateway alone: the shared budget (and its database) has tests of its own.
                    ["Stripe:RateLimit:RequestsPerSecond"] = "0",
                })
                .Build())
            .AddMetrics()
            .AddSingleton<BillingMetrics>()
            .AddInfrastructureServices()
            .BuildServiceProvider();

    private static IStripePortalGateway Gateway(IServiceProvider services) => services.GetRequiredService<IStripePortalGateway>();
}
