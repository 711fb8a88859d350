using System.Data;
using Billing.Domain.Tenants;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Keeps one connection listening on the channel that migration 0004's triggers notify, and drops each changed
/// tenant from <see cref="TenantConfigCache"/>. Without that connection the cache is distrusted (bypassed) until
/// the listener is back.
/// </summary>
internal sealed partial class TenantConfigChangeListener(
    NpgsqlDataSource dataSource,
    TenantConfigCache cache,
    IOptions<TenantCacheOptions> options,
    ILogger<TenantConfigChangeListener> logger) : BackgroundService
{
    public const string Channel = "tenant_config_changed";
    private const string EverythingChanged = "*";

    // A connection that dies without a word (a dropped network path) is noticed at the next ping at the latest.
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var retryDelay = FirstRetryDelay;
        while (true)
        {
            try
            {
                await ListenAsync(onListening: () => retryDelay = FirstRetryDelay, stoppingToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                LogListenerLost(logger, exception.GetType().Name, (int)retryDelay.TotalSeconds);
            }

            // Ends the service by throwing once the host stops.
            await Task.Delay(retryDelay, stoppingToken);
            retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private async Task ListenAsync(Action onListening, CancellationToken stoppingToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        connection.Notification += (_, notification) => Apply(notification.Payload);
        try
        {
            await ExecuteAsync(connection, $"LISTEN {Channel}", stoppingToken);
            // Rows read before this point may predate changes nobody heard of.
            cache.Trust();
            onListening();
            LogListening(logger);
            while (true)
            {
                if (!await connection.WaitAsync(PingInterval, stoppingToken))
                {
                    await ExecuteAsync(connection, "SELECT 1", stoppingToken);
                }
            }
        }
        finally
        {
            cache.Distrust();
            // A healthy connection goes back to a pool that does not reset connections (No Reset On Close).
            if (connection.FullState == ConnectionState.Open)
            {
                await ExecuteAsync(connection, "UNLISTEN *", CancellationToken.None);
            }
        }
    }

    private void Apply(string payload)
    {
        if (payload != EverythingChanged && Guid.TryParse(payload, out var tenant) && tenant != Guid.Empty)
        {
            cache.Invalidate(new TenantId(tenant));
        }
        else
        {
            cache.InvalidateAll();
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for tenant_config changes; tenant lookups are cached")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Lost the connection that listens for tenant_config changes ({Cause}); tenant lookups go to PostgreSQL until it is back, retrying in {RetrySeconds} s")]
    private static partial void LogListenerLost(ILogger logger, string cause, int retrySeconds);
}
