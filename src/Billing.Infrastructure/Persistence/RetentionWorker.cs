using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Runs <see cref="DataRetention"/> on every instance, shortly after start and then every hour; the instances take
/// turns, so each hour's work is done once. A failed run (PostgreSQL unreachable) is logged and tried again at the
/// next hour: nothing is lost by waiting.
/// </summary>
internal sealed partial class RetentionWorker(DataRetention retention, TimeProvider time, ILogger<RetentionWorker> logger) : BackgroundService
{
    /// <summary>After start-up's own work (migrations, the first requests' warm-up).</summary>
    public TimeSpan FirstRunDelay { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Each wait ends the service by throwing once the host stops.
        await Task.Delay(FirstRunDelay, time, stoppingToken);
        while (true)
        {
            try
            {
                await retention.RunAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogRunFailed(logger, exception, Interval.TotalMinutes);
            }

            await Task.Delay(Interval, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention failed; what it deleted stays deleted, and it runs again in {RetryMinutes} min")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, double retryMinutes);
}
