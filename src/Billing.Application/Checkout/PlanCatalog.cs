using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Application.Checkout;

/// <summary>
/// The configured plans with their prices read from Stripe. A price's amount, currency and interval never change in
/// Stripe (a new price is made instead), and the configured list is fixed for the process, so each price is read
/// once: a price Stripe does not know, or a one-time price, is logged once and left out. A failed read is not kept.
/// </summary>
public sealed partial class PlanCatalog(IOptions<BillingOptions> options, IStripePriceGateway prices, ILogger<PlanCatalog> logger)
{
    private readonly ConcurrentDictionary<string, Plan?> plans = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="priceId"/> is one of the configured plans.</summary>
    public bool IsOffered(string? priceId) => options.Value.Plans.Any(plan => plan.PriceId == priceId);

    /// <summary>The plans whose price Stripe knows as recurring, in configured order.</summary>
    /// <exception cref="Common.Exceptions.PaymentProviderException">Stripe failed or could not be reached.</exception>
    public async Task<PlanList> ListAsync(CancellationToken cancellationToken)
    {
        var offered = new List<Plan>();
        foreach (var configured in options.Value.Plans)
        {
            if (await FindAsync(configured, cancellationToken) is { } plan)
            {
                offered.Add(plan);
            }
        }

        return new PlanList(offered);
    }

    /// <summary>For <see cref="BillingOptions.ValidatePlansOnStartup"/>: every configured price must be a recurring one Stripe knows.</summary>
    /// <exception cref="InvalidOperationException">One is not; the message names each.</exception>
    /// <exception cref="Common.Exceptions.PaymentProviderException">Stripe failed or could not be reached.</exception>
    public async Task EnsureAllOfferedAsync(CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var configured in options.Value.Plans)
        {
            if (await FindAsync(configured, cancellationToken) is null)
            {
                missing.Add(configured.PriceId);
            }
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Billing:Plans names prices that Stripe does not know as recurring prices: {string.Join(", ", missing)}.");
        }
    }

    private async Task<Plan?> FindAsync(PlanOptions configured, CancellationToken cancellationToken)
    {
        if (plans.TryGetValue(configured.PriceId, out var known))
        {
            return known;
        }

        var price = await prices.FindAsync(configured.PriceId, cancellationToken);
        Plan? plan = null;
        if (price is null)
        {
            LogUnknownPrice(logger, configured.PriceId);
        }
        else if (price.RecurringInterval is null)
        {
            LogOneTimePrice(logger, configured.PriceId);
        }
        else
        {
            plan = new Plan(price.Id, configured.Name, price.UnitAmount, price.Currency, price.RecurringInterval);
        }

        // Of two first reads racing, the first stored wins; both saw the same price.
        return plans.GetOrAdd(configured.PriceId, plan);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Plan price {PriceId} is unknown to Stripe; the plan is left out")]
    private static partial void LogUnknownPrice(ILogger logger, string priceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Plan price {PriceId} is not a recurring price; the plan is left out")]
    private static partial void LogOneTimePrice(ILogger logger, string priceId);
}
