using Billing.Application.Subscriptions;
using global::Stripe;

namespace Billing.Infrastructure.Stripe;

/// <summary>Lists a customer's subscriptions with Stripe.net's <see cref="SubscriptionService"/>.</summary>
internal sealed class StripeSubscriptionGateway(IStripeClient stripeClient, StripeCalls calls) : IStripeSubscriptionGateway
{
    private const string Operation = "subscriptions.list";

    private readonly SubscriptionService subscriptions = new(stripeClient);

    public Task<IReadOnlyList<StripeSubscription>> ListAsync(string stripeCustomerId, CancellationToken cancellationToken) =>
        calls.RunAsync<IReadOnlyList<StripeSubscription>>(Operation, stripeCustomerId, async deadline =>
        {
            var options = new SubscriptionListOptions { Customer = stripeCustomerId, Status = "all", Limit = 100 };
            var found = new List<StripeSubscription>();
            // Auto-paging: a customer with more than a page of subscriptions (rare) is still read whole.
            await foreach (var subscription in subscriptions.ListAutoPagingAsync(options, requestOptions: null, deadline))
            {
                found.Add(ToSnapshot(subscription));
            }

            return found;
        }, cancellationToken);

    private static StripeSubscription ToSnapshot(Subscription subscription)
    {
        var item = subscription.Items?.Data?.FirstOrDefault();
        return new StripeSubscription(
            subscription.Id,
            subscription.Status,
            Utc(subscription.Created),
            item?.Price?.Id,
            item?.Price?.ProductId,
            item?.Quantity,
            item is null ? null : Utc(item.CurrentPeriodEnd),
            subscription.CancelAtPeriodEnd,
            subscription.CancelAt is { } cancelAt ? Utc(cancelAt) : null,
            subscription.TrialEnd is { } trialEnd ? Utc(trialEnd) : null);
    }

    // Stripe.net reads Unix timestamps as UTC DateTimes.
    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
