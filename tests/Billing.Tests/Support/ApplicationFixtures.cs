using System.Diagnostics.Metrics;
using Billing.Application.Common.Interfaces;
using Billing.Application.Common.Metrics;
using Billing.Application.PortalAudit;
using Billing.Application.PortalSessions;
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
