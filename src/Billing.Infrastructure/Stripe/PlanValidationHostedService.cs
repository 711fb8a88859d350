using Billing.Application.Checkout;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// With <see cref="BillingOptions.ValidatePlansOnStartup"/>, stops start-up when a configured plan's price is not a
/// recurring price Stripe knows, or Stripe cannot be asked: a deployment with a mistyped price fails at once.
/// </summary>
internal sealed class PlanValidationHostedService(IOptions<BillingOptions> options, PlanCatalog plans) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.ValidatePlansOnStartup ? plans.EnsureAllOfferedAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
