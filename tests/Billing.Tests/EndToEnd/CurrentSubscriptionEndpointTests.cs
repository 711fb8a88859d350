using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Billing.Tests.Support;

namespace Billing.Tests.EndToEnd;

/// <summary>
/// The SPA's billing page: <c>GET /api/subscriptions/current</c> answers the tenant's stored state in the contract's
/// shape, and <c>POST /api/subscriptions/sync</c> reads Stripe now and answers the same, under the portal's role
/// policy, its per-tenant rate limit (three a minute here) and its audit trail; each only ever for the caller's tenant.
/// </summary>
public sealed class CurrentSubscriptionEndpointTests : StripeEventTestBase
{
    private const string CurrentPath = "/api/subscriptions/current";
    private const string SyncPath = "/api/subscriptions/sync";
    private const string Role = "billing_admin";
    private const int PermitLimit = 3;

    private static readonly DateTimeOffset EndOf2026 = new(2026, 12, 31, 0, 0, 0, TimeSpan.Zero);

    protected override IReadOnlyDictionary<string, string?> SettingOverrides { get; } = new Dictionary<string, string?>(WebhookSettings)
    {
        ["Portal:RequiredRoles:0"] = Role,
        ["Portal:RateLimit:PermitLimit"] = PermitLimit.ToString(CultureInfo.InvariantCulture),
        ["Portal:RateLimit:WindowSeconds"] = "60",
    };

    [Test]
    public async Task GetCurrent_SyncedTenant_Returns200WithTheStoredStateInTheContractShape()
    {
        var (tenant, syncedAt) = await SyncedTenantAsync();

        using var response = await SendAsync(HttpMethod.Get, CurrentPath, tenant);

        var (body, answeredSyncedAt) = await ReadStateAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(body, Is.EqualTo(Canonical("""
                {"status":"active","subscriptionId":"sub_test_shape","priceId":"price_test_shape","productId":"prod_test_shape","quantity":3,
                 "currentPeriodEnd":"2026-12-31T00:00:00Z","cancelAtPeriodEnd":true,"cancelAt":"2026-12-31T00:00:00Z","trialEnd":null}
                """)));
            Assert.That(answeredSyncedAt, Is.EqualTo(syncedAt));
        });
    }

    [Test]
    public async Task GetCurrent_SyncedTenant_WritesEveryTimeInIso8601UtcWithZAsThePlanShows()
    {
        var (tenant, _) = await SyncedTenantAsync();

        using var response = await SendAsync(HttpMethod.Get, CurrentPath, tenant);

        var state = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(new[] { "currentPeriodEnd", "cancelAt", "syncedAt" }.Select(member => state[member]?.GetValue<string>()),
            Has.All.Match(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task GetCurrent_CustomerWithoutSubscription_ReturnsStatusNoneWithTheRestNull(bool synced)
    {
        var tenant = Guid.NewGuid();
        var syncedAt = synced ? new DateTimeOffset(2026, 11, 2, 8, 30, 15, TimeSpan.Zero) : (DateTimeOffset?)null;
        await (TenantBilling.NoneFor(NewCustomerId()) with { Status = synced ? "none" : null, SyncedAt = syncedAt }).WriteAsync(ConnectionString, tenant);

        using var response = await SendAsync(HttpMethod.Get, CurrentPath, tenant);

        var (body, answeredSyncedAt) = await ReadStateAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(body, Is.EqualTo(NoneBody));
            Assert.That(answeredSyncedAt, Is.EqualTo(syncedAt));
        });
    }

    [TestCase("GET", CurrentPath, false)]
    [TestCase("GET", CurrentPath, true)]
    [TestCase("POST", SyncPath, false)]
    [TestCase("POST", SyncPath, true)]
    public async Task Request_TenantWithoutCustomer_Returns404NoStripeCustomerWithoutAskingStripe(string method, string path, bool tenantHasARow)
    {
        var tenant = Guid.NewGuid();
        if (tenantHasARow)
        {
            await TenantSeeder.UpsertAsync(ConnectionString, tenant, stripeCustomerId: null);
        }

        using var response = await SendAsync(new HttpMethod(method), path, tenant);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "No Stripe customer found for this tenant");
        Assert.That(Stripe.Requests, Is.Empty);
    }

    [TestCase("GET", CurrentPath)]
    [TestCase("POST", SyncPath)]
    public async Task Request_WithoutToken_Returns401Unauthorized(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await Client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [TestCase("GET", CurrentPath)]
    [TestCase("POST", SyncPath)]
    public async Task Request_UserWithoutTheRequiredRole_Returns403ForbiddenWithoutAskingStripe(string method, string path)
    {
        var (tenant, _) = await SeededCustomerAsync(NewSubscription());

        using var response = await SendAsync(new HttpMethod(method), path, tenant, "viewer");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "Forbidden");
        Assert.That(Stripe.Requests, Is.Empty);
    }

    [Test]
    public async Task GetCurrent_TwoTenants_EachGetsOnlyItsOwnStateWhateverTheQueryNames()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        await (TenantBilling.SyncedFrom(NewCustomerId(), NewSubscription() with { Id = "sub_test_first" }) with { SyncedAt = EndOf2026 })
            .WriteAsync(ConnectionString, first);
        await (TenantBilling.SyncedFrom(NewCustomerId(), NewSubscription() with { Id = "sub_test_second" }) with { SyncedAt = EndOf2026 })
            .WriteAsync(ConnectionString, second);

        var seenByFirst = await SubscriptionIdSeenAsync(first, $"?tenantId={second}");
        var seenBySecond = await SubscriptionIdSeenAsync(second, $"?tenantId={first}");

        Assert.That((seenByFirst, seenBySecond), Is.EqualTo(("sub_test_first", "sub_test_second")));
    }

    [Test]
    public async Task PostSync_CustomerWithASubscription_AsksStripeForAllItsSubscriptionsAndAnswersTheChosenOne()
    {
        var subscription = NewSubscription() with { PriceId = "price_test_team", ProductId = "prod_test_team", Quantity = 7, TrialEnd = EndOf2026 };
        var (tenant, customer) = await SeededCustomerAsync(subscription, NewSubscription("canceled"));

        using var response = await SendAsync(HttpMethod.Post, SyncPath, tenant);

        var (body, syncedAt) = await ReadStateAsync(response);
        var asked = Stripe.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(body, Is.EqualTo(StateBody(subscription)));
            Assert.That(syncedAt, Is.Not.Null);
            Assert.That((asked.Method, asked.Path), Is.EqualTo(("GET", StripeFake.SubscriptionsPath)));
            Assert.That(asked.Query.GetValueOrDefault("customer"), Is.EqualTo(customer));
            Assert.That(asked.Query.GetValueOrDefault("status"), Is.EqualTo("all"));
        });
    }

    [Test]
    public async Task PostSync_CustomerWithASubscription_StoresWhatGetCurrentThenAnswers()
    {
        var (tenant, _) = await SeededCustomerAsync(NewSubscription());
        using var synced = await SendAsync(HttpMethod.Post, SyncPath, tenant);
        var syncedBody = await synced.Content.ReadAsStringAsync();

        using var current = await SendAsync(HttpMethod.Get, CurrentPath, tenant);

        Assert.Multiple(async () =>
        {
            Assert.That(synced.StatusCode, Is.EqualTo(HttpStatusCode.OK), syncedBody);
            Assert.That(await current.Content.ReadAsStringAsync(), Is.EqualTo(syncedBody));
        });
    }

    [Test]
    public async Task PostSync_CustomerWithoutSubscriptions_AnswersStatusNoneSyncedNow()
    {
        var (tenant, _) = await SeededCustomerAsync();

        using var response = await SendAsync(HttpMethod.Post, SyncPath, tenant);

        var (body, syncedAt) = await ReadStateAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(body, Is.EqualTo(NoneBody));
            Assert.That(syncedAt, Is.Not.Null);
        });
    }

    [Test]
    public async Task PostSync_TwoTenants_AsksStripeOnlyForTheCallersCustomerAndStoresOnlyItsState()
    {
        var (caller, callerCustomer) = await SeededCustomerAsync(NewSubscription());
        var (other, otherCustomer) = await SeededCustomerAsync(NewSubscription());

        using var response = await SendAsync(HttpMethod.Post, $"{SyncPath}?tenantId={other}&customer={otherCustomer}", caller);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Stripe.SubscriptionListCalls(callerCustomer), Is.EqualTo(1));
            Assert.That(Stripe.SubscriptionListCalls(otherCustomer), Is.Zero);
            Assert.That((await TenantBilling.ReadAsync(ConnectionString, other))?.SyncedAt, Is.Null);
        });
    }

    [Test]
    public async Task PostSync_StripeFails_Returns500InternalServerError()
    {
        var (tenant, _) = await SeededCustomerAsync(NewSubscription());
        Stripe.FailSubscriptionListsAlways();

        using var response = await SendAsync(HttpMethod.Post, SyncPath, tenant);

        await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "Internal server error");
    }

    [Test]
    public async Task PostSync_Synced_LeavesAnAuditRowWithActionSyncAndOutcomeSynced()
    {
        var (tenant, _) = await SeededCustomerAsync(NewSubscription());

        using var response = await SendAsync(HttpMethod.Post, SyncPath, tenant);

        Assert.That(await AuditRows.ReadActionsAsync(ConnectionString, tenant), Is.EqualTo(new[] { ("sync", "synced") }));
    }

    [Test]
    public async Task PostPortal_SessionCreated_LeavesAnAuditRowWithActionPortal()
    {
        var (tenant, _) = await SeededCustomerAsync();

        using var response = await PostAsync(TestTokens.ForTenant(tenant, Role));

        Assert.That(await AuditRows.ReadActionsAsync(ConnectionString, tenant), Is.EqualTo(new[] { ("portal", "created") }));
    }

    [Test]
    public async Task PostSync_TenantOverItsLimit_Returns429WithRetryAfterWithoutAskingStripe()
    {
        var (tenant, customer) = await SeededCustomerAsync(NewSubscription());
        await UseUpTheLimitAsync(() => SendAsync(HttpMethod.Post, SyncPath, tenant));

        using var response = await SendAsync(HttpMethod.Post, SyncPath, tenant);

        await AssertProblemAsync(response, HttpStatusCode.TooManyRequests, "Too many requests");
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(Stripe.SubscriptionListCalls(customer), Is.EqualTo(PermitLimit));
        });
    }

    [Test]
    public async Task PostSync_AfterThePortalUsedUpTheTenantsLimit_Returns429()
    {
        var (tenant, _) = await SeededCustomerAsync(NewSubscription());
        await UseUpTheLimitAsync(() => PostAsync(TestTokens.ForTenant(tenant, Role)));

        using var response = await SendAsync(HttpMethod.Post, SyncPath, tenant);

        await AssertProblemAsync(response, HttpStatusCode.TooManyRequests, "Too many requests");
    }

    private static string NoneBody => Canonical(
        """{"status":"none","subscriptionId":null,"priceId":null,"productId":null,"quantity":null,"currentPeriodEnd":null,"cancelAtPeriodEnd":null,"cancelAt":null,"trialEnd":null}""");

    private static FakeSubscription NewSubscription(string status = "active") =>
        NewSubscription(status, DateTimeOffset.FromUnixTimeSeconds(1_790_000_000));

    /// <summary>The body that answers <paramref name="subscription"/>'s state, but for <c>syncedAt</c>.</summary>
    private static string StateBody(FakeSubscription subscription) => Canonical(new JsonObject
    {
        ["status"] = subscription.Status,
        ["subscriptionId"] = subscription.Id,
        ["priceId"] = subscription.PriceId,
        ["productId"] = subscription.ProductId,
        ["quantity"] = subscription.Quantity,
        ["currentPeriodEnd"] = Iso(subscription.CurrentPeriodEnd),
        ["cancelAtPeriodEnd"] = subscription.CancelAtPeriodEnd,
        ["cancelAt"] = Iso(subscription.CancelAt),
        ["trialEnd"] = Iso(subscription.TrialEnd),
    }.ToJsonString());

    private static string? Iso(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Asserts a 200 and returns its body without <c>syncedAt</c> as <see cref="Canonical"/> JSON, its times written as in
    /// the plan whatever form the server chose (the form has a test of its own), and <c>syncedAt</c> as the time it names.
    /// </summary>
    private static async Task<(string Body, DateTimeOffset? SyncedAt)> ReadStateAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        var state = JsonNode.Parse(text)!.AsObject();
        Assert.That(state.ContainsKey("syncedAt"), Is.True, text);
        var syncedAt = TimeOf(state["syncedAt"]);
        state.Remove("syncedAt");
        foreach (var member in new[] { "currentPeriodEnd", "cancelAt", "trialEnd" })
        {
            if (state[member] is { } time)
            {
                state[member] = Iso(TimeOf(time));
            }
        }

        return (Canonical(state.ToJsonString()), syncedAt);
    }

    private static DateTimeOffset? TimeOf(JsonNode? time) =>
        time is null ? null : DateTimeOffset.Parse(time.GetValue<string>(), CultureInfo.InvariantCulture);

    /// <summary>A tenant whose stored state is synced: an active subscription ending with 2026, set to cancel then.</summary>
    private async Task<(Guid Tenant, DateTimeOffset SyncedAt)> SyncedTenantAsync()
    {
        var tenant = Guid.NewGuid();
        // Microseconds, as PostgreSQL keeps them.
        var syncedAt = new DateTimeOffset(2026, 11, 2, 8, 30, 15, TimeSpan.Zero).AddTicks(1_234_560);
        await new TenantBilling(NewCustomerId(), "sub_test_shape", "active", "price_test_shape", "prod_test_shape", 3, EndOf2026, true, EndOf2026, null, syncedAt)
            .WriteAsync(ConnectionString, tenant);
        return (tenant, syncedAt);
    }

    /// <summary>Compact JSON with its members in name order: the order a server writes them in is no part of the contract.</summary>
    private static string Canonical(string json) =>
        new JsonObject(JsonNode.Parse(json)!.AsObject().OrderBy(member => member.Key, StringComparer.Ordinal)
            .Select(member => KeyValuePair.Create(member.Key, member.Value?.DeepClone()))).ToJsonString();

    private static async Task UseUpTheLimitAsync(Func<Task<HttpResponseMessage>> send)
    {
        for (var i = 0; i < PermitLimit; i++)
        {
            using var allowed = await send();
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK), "within the limit");
        }
    }

    private async Task<string?> SubscriptionIdSeenAsync(Guid tenant, string query)
    {
        using var response = await SendAsync(HttpMethod.Get, CurrentPath + query, tenant);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())?["subscriptionId"]?.GetValue<string>();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Guid tenant, string role = Role)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForTenant(tenant, role));
        return await Client.SendAsync(request);
    }
}
