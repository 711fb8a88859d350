using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Persistence;

/// <summary>Migrates before Kestrel starts listening, so no request ever meets an unmigrated schema.</summary>
internal sealed class DatabaseMigrationHostedService(DatabaseMigrator migrator, IOptions<DatabaseOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.MigrateOnStartup ? migrator.MigrateAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
