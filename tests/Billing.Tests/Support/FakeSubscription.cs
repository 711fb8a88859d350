using StripeEmulator.State;

namespace Billing.Tests.Support;

/// <summary>
/// A subscription a test gives a customer in the Stripe fake, with one item. Times are whole seconds, as Stripe
/// sends them; the current period runs for 30 days from <see cref="Created"/> unless a test says otherwise.
/// </summary>
internal sealed record FakeSubscription(string Id, string Status, DateTimeOffset Created)
{
    public string PriceId { get; init; } = "price_fake_standard";

    public string ProductId { get; init; } = "prod_fake_standard";

    public long Quantity { get; init; } = 1;

    public DateTimeOffset CurrentPeriodStart { get => field == default ? Created : field; init; }

    public DateTimeOffset CurrentPeriodEnd { get => field == default ? Created.AddDays(30) : field; init; }

    public bool CancelAtPeriodEnd { get; init; }

    public DateTimeOffset? CancelAt { get; init; }

    public DateTimeOffset? TrialEnd { get; init; }

    /// <summary>The subscription as the emulator keeps it, for this customer; the price is a placeholder of $10 a month with this id and product.</summary>
    public EmulatedSubscription ToEmulated(string customerId) =>
        new(Id, customerId, Status, $"si_{Id}", new EmulatedPrice(PriceId, ProductId, $"Product of {PriceId}", 1000, "usd", "month", Created),
            Quantity, CurrentPeriodStart, CurrentPeriodEnd, Created)
        {
            CancelAtPeriodEnd = CancelAtPeriodEnd,
            CancelAt = CancelAt,
            TrialEnd = TrialEnd,
        };
}
