namespace Billing.Tests.Support;

/// <summary>
/// A subscription as the Stripe fake lists it for a customer, with one item. Times are whole seconds, as Stripe
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

    /// <summary>The subscription as Stripe API version 2026-10-28 sends it: the current period is on the item, not on the subscription.</summary>
    public object ToStripeJson(string customerId) => new
    {
        id = Id,
        @object = "subscription",
        customer = customerId,
        status = Status,
        created = Created.ToUnixTimeSeconds(),
        cancel_at_period_end = CancelAtPeriodEnd,
        cancel_at = CancelAt?.ToUnixTimeSeconds(),
        trial_end = TrialEnd?.ToUnixTimeSeconds(),
        livemode = false,
        items = new
        {
            @object = "list",
            data = new[]
            {
                new
                {
                    id = $"si_{Id}",
                    @object = "subscription_item",
                    price = new { id = PriceId, @object = "price", product = ProductId },
                    quantity = Quantity,
                    current_period_start = CurrentPeriodStart.ToUnixTimeSeconds(),
                    current_period_end = CurrentPeriodEnd.ToUnixTimeSeconds(),
                    subscription = Id,
                },
            },
            has_more = false,
            url = $"/v1/subscription_items?subscription={Id}",
        },
    };
}
