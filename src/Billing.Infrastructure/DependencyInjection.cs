using System.Diagnostics;
using Billing.Application.Common.Interfaces;
using Billing.Application.PortalAudit;
using Billing.Application.PortalSessions;
using Billing.Infrastructure.Persistence;
using Billing.Infrastructure.Stripe;
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
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName) ?? string.Empty)
            .Validate(options => IsValidConnectionString(options.ConnectionString),
                $"ConnectionStrings:{DatabaseOptions.ConnectionStringName} must be a PostgreSQL connection string, e.g. Host=localhost;Database=billing;Username=billing.")
            .Validate(options => options.ConnectTimeoutSeconds is >= 1 and <= 60, "Database:ConnectTimeoutSeconds must be between 1 and 60.")
            .Validate(options => options.CommandTimeoutSeconds is >= 1 and <= 300, "Database:CommandTimeoutSeconds must be between 1 and 300.")
            .Validate(options => options.MaxPoolSize is >= 2 and <= 500, "Database:MaxPoolSize must be between 2 and 500.")
            .ValidateOnStart();

        services.AddSingleton(serviceProvider =>
        {
            var options = serviceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
            builder.ConnectionStringBuilder.Timeout = options.ConnectTimeoutSeconds;
            builder.ConnectionStringBuilder.CommandTimeout = options.CommandTimeoutSeconds;
            builder.ConnectionStringBuilder.MaxPoolSize = options.MaxPoolSize;
            // The service never leaves session state behind (no SET or temporary tables; the change listener ends
            // with UNLISTEN), so a pooled connection needs no DISCARD ALL before its next use; and its few statements
            // are worth preparing once per connection.
            builder.ConnectionStringBuilder.NoResetOnClose = true;
            builder.ConnectionStringBuilder.MaxAutoPrepare = 16;
            return builder.UseLoggerFactory(serviceProvider.GetRequiredService<ILoggerFactory>()).Build();
        });
        services.AddSingleton<TenantConfigRepository>();
        services.AddTenantCache();
        services.AddSingleton<IPortalAuditRepository, PortalAuditRepository>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddHostedService<DatabaseMigrationHostedService>();
        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgresql", tags: [HealthCheckTags.Ready])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [HealthCheckTags.Ready]);
    }

    private static void AddTenantCache(this IServiceCollection services)
    {
        services.AddOptions<TenantCacheOptions>()
            .BindConfiguration(TenantCacheOptions.SectionName)
            .Validate(options => options.MaxEntries is >= 1 and <= 10_000_000, "TenantCache:MaxEntries must be between 1 and 10000000.")
            .Validate(options => options.TimeToLiveSeconds is >= 1 and <= 86_400, "TenantCache:TimeToLiveSeconds must be between 1 and 86400.")
            .ValidateOnStart();

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
        services.AddOptions<StripeOptions>()
            .BindConfiguration(StripeOptions.SectionName)
            .Validate(options => options.SecretKey.StartsWith("sk_", StringComparison.Ordinal) || options.SecretKey.StartsWith("rk_", StringComparison.Ordinal),
                "Stripe:SecretKey must be a Stripe secret (sk_...) or restricted (rk_...) key; set it through the environment variable Stripe__SecretKey.")
            .Validate(options => options.ApiBase is null || Uri.TryCreate(options.ApiBase, UriKind.Absolute, out _),
                "Stripe:ApiBase must be an absolute URL, e.g. http://127.0.0.1:12111.")
            .Validate(options => options.TimeoutSeconds is >= 1 and <= 120, "Stripe:TimeoutSeconds must be between 1 and 120.")
            .Validate(options => options.MaxNetworkRetries is >= 0 and <= 5, "Stripe:MaxNetworkRetries must be between 0 and 5.")
            .Validate(options => options.PortalConfigurationId is null || options.PortalConfigurationId.StartsWith("bpc_", StringComparison.Ordinal),
                "Stripe:PortalConfigurationId must be a billing portal configuration id (bpc_...).")
            .ValidateOnStart();

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
            var httpClient = new HttpClient(handler)
            {
                Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            };
            return new StripeClient(new StripeClientOptions
            {
                ApiKey = options.SecretKey,
                // A trailing slash would make the SDK request "//v1/...".
                ApiBase = options.ApiBase?.TrimEnd('/'),
                // Client telemetry (the previous request's latency, sent to Stripe as a JSON header) costs a Newtonsoft
                // serialization per call and tells Stripe nothing it needs to serve us.
                HttpClient = new BufferedBodyHttpClient(
                    new SystemNetHttpClient(httpClient, options.MaxNetworkRetries, appInfo: null, enableTelemetry: false)),
            });
        });
        services.AddSingleton<IStripeClient>(serviceProvider => serviceProvider.GetRequiredService<StripeClient>());
        services.AddSingleton<IStripePortalGateway, StripePortalGateway>();
    }

    private static bool IsValidConnectionString(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return false;
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
