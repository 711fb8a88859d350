using System.Diagnostics;
using Billing.Application.Checkout;
using Billing.Application.Common.Configuration;
using Billing.Application.Common.Interfaces;
using Billing.Application.PortalAudit;
using Billing.Application.PortalSessions;
using Billing.Application.RateLimiting;
using Billing.Application.StripeEvents;
using Billing.Application.Subscriptions;
using Billing.Infrastructure.Health;
using Billing.Infrastructure.Persistence;
using Billing.Infrastructure.Stripe;
using Billing.Infrastructure.StripeEvents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Stripe;

namespace Microsoft.Extensions.DependencyInjection;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructureServices(this IServiceCollection services)
    {
        services.AddPersistence();
        services.AddStripe();
        return services;
    }

    private static void AddPersistence(this IServiceCollection services)
    {
        services.AddValidatedOptions<DatabaseOptions, DatabaseOptionsValidator>(DatabaseOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName) ?? string.Empty);

        services.AddSingleton(serviceProvider =>
        {
            var options = serviceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
            builder.ConnectionStringBuilder.Timeout = options.ConnectTimeoutSeconds;
            builder.ConnectionStringBuilder.CommandTimeout = options.CommandTimeoutSeconds;
            builder.ConnectionStringBuilder.MaxPoolSize = options.MaxPoolSize;
            // Measured to earn their keep (docs/performance.md). The service leaves no session state behind (no SET or
            // temporary tables; the change listener ends with UNLISTEN, the migrator unlocks), so a pooled connection needs
            // no DISCARD ALL before its next use; and its few statements are worth preparing once per connection.
            builder.ConnectionStringBuilder.NoResetOnClose = true;
            builder.ConnectionStringBuilder.MaxAutoPrepare = 16;
            return builder.UseLoggerFactory(serviceProvider.GetRequiredService<ILoggerFactory>()).Build();
        });
        services.AddTenantCache();
        services.AddSingleton<IPortalAuditRepository, PortalAuditRepository>();
        services.AddSingleton<ITenantBillingRepository, TenantBillingRepository>();
        services.AddSingleton<IStripeEventInbox, StripeEventInbox>();
        services.AddSingleton<ITenantRequestCounter, TenantRequestCounter>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddHostedService<DatabaseMigrationHostedService>();
        services.AddRetention();
        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgresql", tags: [HealthCheckTags.Ready])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [HealthCheckTags.Ready]);
    }

    /// <summary>
    /// Bounded growth: old audit rows (<c>Audit:RetentionDays</c>) and finished inbox events
    /// (<c>Stripe:WebhookRetentionDays</c>, validated with the Stripe section) are deleted hourly, in small batches.
    /// </summary>
    private static void AddRetention(this IServiceCollection services)
    {
        services.AddValidatedOptions<AuditOptions, AuditOptionsValidator>(AuditOptions.SectionName);
        services.AddSingleton<DataRetention>();
        services.AddHostedService<RetentionWorker>();
    }

    /// <summary>
    /// Tenant lookups from memory, kept true by migration 0004's notifications: measured to save 3-5 ms of every portal
    /// request at Stripe's rates (docs/performance.md), so it stays although it is the one speed component left.
    /// </summary>
    private static void AddTenantCache(this IServiceCollection services)
    {
        services.AddValidatedOptions<TenantCacheOptions, TenantCacheOptionsValidator>(TenantCacheOptions.SectionName);
        services.AddSingleton<TenantConfigRepository>();
        services.AddSingleton<TenantConfigCache>();
        services.AddSingleton<ITenantConfigRepository>(serviceProvider =>
            serviceProvider.GetRequiredService<IOptions<TenantCacheOptions>>().Value.Enabled
                ? new CachedTenantConfigRepository(
                    serviceProvider.GetRequiredService<TenantConfigRepository>(), serviceProvider.GetRequiredService<TenantConfigCache>())
                : serviceProvider.GetRequiredService<TenantConfigRepository>());
        services.AddHostedService<TenantConfigChangeListener>();
    }

    private static void AddStripe(this IServiceCollection services)
    {
        services.AddValidatedOptions<StripeOptions, StripeOptionsValidator>(StripeOptions.SectionName);

        services.AddSingleton(serviceProvider =>
        {
            var options = serviceProvider.GetRequiredService<IOptions<StripeOptions>>().Value;
            var handler = new SocketsHttpHandler
            {
                // A long-lived client must still notice DNS changes.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                // Our trace ids are ours: Stripe does not read traceparent, so it is not sent. The call is still traced here.
                ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
                // One client serves every tenant: a cookie one tenant's call received must not ride along on the next.
                UseCookies = false,
            };
            // Every request takes its turn in the budget all instances share first (RequestsPerSecond 0 turns it off).
            HttpMessageHandler pipeline = options.RateLimit.RequestsPerSecond > 0
                ? new StripeBudgetHandler(serviceProvider.GetRequiredService<StripeBudget>()) { InnerHandler = handler }
                : handler;
            var httpClient = new HttpClient(pipeline) { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };
            return new StripeClient(new StripeClientOptions
            {
                ApiKey = options.SecretKey,
                // A trailing slash would make the SDK request "//v1/...".
                ApiBase = options.ApiBase?.TrimEnd('/'),
                // No client telemetry: a header reporting our previous call's id and latency, which Stripe does not need to serve us.
                HttpClient = new SystemNetHttpClient(httpClient, options.MaxNetworkRetries, appInfo: null, enableTelemetry: false),
            });
        });
        // One client: the portal gateway uses its raw request, the other gateways its typed services.
        services.AddSingleton<IStripeClient>(serviceProvider => serviceProvider.GetRequiredService<StripeClient>());
        services.AddSingleton<StripeBudget>();
        services.AddSingleton<StripeCalls>();
        services.AddSingleton<IStripePortalGateway, StripePortalGateway>();
        services.AddSingleton<IStripeSubscriptionGateway, StripeSubscriptionGateway>();
        services.AddSingleton<IStripePriceGateway, StripePriceGateway>();
        services.AddSingleton<IStripeCustomerGateway, StripeCustomerGateway>();
        services.AddSingleton<IStripeCheckoutGateway, StripeCheckoutGateway>();
        services.AddHostedService<PlanValidationHostedService>();
        services.AddSingleton<IStripeWebhookVerifier, StripeWebhookVerifier>();
        services.AddHostedService<StripeEventWorker>();
    }
}
