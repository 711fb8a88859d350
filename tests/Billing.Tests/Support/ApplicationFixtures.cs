using System.Diagnostics.Metrics;
using Billing.Application.Common.Interfaces;
using Billing.Application.Common.Metrics;
using Billing.Application.PortalAudit;
using Billing.Application.PortalSessions;
using Billing.Application.StripeEvents;
using Billing.Application.Subscriptions;
using Billing.Domain.Tenants;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace Billing.Tests.Support;

/// <summary>Real application-layer collaborators wired to in-memory test doubles.</summary>
internal static class ApplicationFixtures
{
    public const string PublicUrl = "https://app.example.com";

    public static ReturnUrlPolicy ReturnUrlPolicy(string publicUrl = PublicUrl, string returnPath = "/settings/billing", params string[] allowedOrigins) =>
        new(Options.Create(new AppOptions { PublicUrl = publicUrl }),
            Options.Create(new PortalOptions { ReturnPath = returnPath, AllowedReturnOrigins = allowedOrigins }));

    public static ICurrentTenant CurrentTenant(TenantId? tenantId) =>
        Mock.Of<ICurrentTenant>(tenant => tenant.TenantId == tenantId);

    /// <summary>A meter factory of its own, so that a test's measurements are not mixed with another's.</summary>
    public static IMeterFactory MeterFactory() =>
        new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    /// <summary>The real service for <paramref name="tenantId"/>, over the given repository, gateway and audit store.</summary>
    public static PortalSessionService PortalSessionService(
        TenantId? tenantId,
        ITenantConfigRepository tenantConfigs,
        IStripePortalGateway gateway,
        IPortalAuditRepository auditRepository,
        ILogger<PortalSessionService>? logger = null)
    {
        var tenant = CurrentTenant(tenantId);
        var returnUrls = ReturnUrlPolicy();
        return new(tenant, new PortalSessionRequestValidator(returnUrls), tenantConfigs, gateway, returnUrls, AuditTrail(tenant, auditRepository),
            logger ?? NullLogger<PortalSessionService>.Instance);
    }

    public static PortalAuditTrail AuditTrail(
        ICurrentTenant tenant,
        IPortalAuditRepository repository,
        IMeterFactory? meterFactory = null,
        IAuditContext? auditContext = null,
        ILogger<PortalAuditTrail>? logger = null) =>
        new(tenant, auditContext ?? Mock.Of<IAuditContext>(), repository, new PortalAuditQueryValidator(),
            new BillingMetrics(meterFactory ?? MeterFactory()), logger ?? NullLogger<PortalAuditTrail>.Instance);

    /// <summary>The real sync over the given gateway and repository, reading <paramref name="time"/> (a fixed clock by default).</summary>
    public static SubscriptionSync SubscriptionSync(IStripeSubscriptionGateway gateway, ITenantBillingRepository billing, TimeProvider? time = null) =>
        new(gateway, billing, time ?? new ManualTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)));

    /// <summary>The real service for <paramref name="tenantId"/>, with the real sync, over the given repository, gateway and audit store.</summary>
    public static CurrentSubscriptionService CurrentSubscriptionService(
        TenantId? tenantId,
        ITenantBillingRepository billing,
        IStripeSubscriptionGateway gateway,
        IPortalAuditRepository auditRepository,
        ILogger<CurrentSubscriptionService>? logger = null,
        TimeProvider? time = null)
    {
        var tenant = CurrentTenant(tenantId);
        return new(tenant, billing, SubscriptionSync(gateway, billing, time), AuditTrail(tenant, auditRepository),
            logger ?? NullLogger<CurrentSubscriptionService>.Instance);
    }

    /// <summary>
    /// Whether a wait started now ends at once, i.e. an arrival was signalled and not yet taken. A wait that does not
    /// end at once is cancelled, so that nothing is left waiting.
    /// </summary>
    public static bool WakesAWaitAtOnce(StripeEventArrivals arrivals)
    {
        using var cancellation = new CancellationTokenSource();
        var wait = arrivals.WaitAsync(Timeout.InfiniteTimeSpan, cancellation.Token);
        var woke = wait.IsCompletedSuccessfully;
        cancellation.Cancel();
        return woke;
    }

    /// <summary>
    /// Configuration from key/value pairs, as the host would read it from appsettings or the environment; a key given
    /// twice keeps its last value, as a later configuration source overrides an earlier one.
    /// </summary>
    public static IConfiguration Configuration(params (string Key, string? Value)[] settings)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}

/// <summary>An audit repository that keeps what it is given, or fails when told to or when cancelled.</summary>
internal sealed class RecordingAuditRepository : IPortalAuditRepository
{
    private readonly List<PortalAuditEntry> entries = [];

    public IReadOnlyList<PortalAuditEntry> Entries => entries;

    public Exception? FailWith { get; set; }

    public Task AddAsync(PortalAuditEntry entry, CancellationToken cancellationToken)
    {
        if (FailWith is not null)
        {
            return Task.FromException(FailWith);
        }

        // The contract lets a write whose token is cancelled be dropped, so the use case must not count on it.
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        entries.Add(entry);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PortalAuditRecord>> ListAsync(TenantId tenantId, int limit, PortalAuditCursor? before, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Reading is tested against PostgreSQL.");
}
