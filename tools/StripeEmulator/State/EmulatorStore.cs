using Microsoft.Extensions.Options;

namespace StripeEmulator.State;

/// <summary>
/// Everything the emulator knows, in memory, behind one lock: the endpoints and pages read and change it, and a test
/// harness can seed and read it too. Objects are immutable records; a change replaces one. Times are whole seconds
/// from <see cref="TimeProvider"/>, as Stripe sends them.
/// </summary>
public sealed class EmulatorStore
{
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly IReadOnlyList<EmulatorPriceOptions> configuredPrices;
    private readonly Dictionary<string, EmulatedPrice> prices = [];
    private readonly Dictionary<string, EmulatedCustomer> customers = [];
    private readonly Dictionary<string, string> customerByIdempotencyKey = [];
    private readonly Dictionary<string, EmulatedSubscription> subscriptions = [];
    private readonly Dictionary<string, EmulatedCheckoutSession> checkoutSessions = [];
    private readonly Dictionary<string, EmulatedPortalSession> portalSessionsByToken = [];

    public EmulatorStore(IOptions<EmulatorOptions> options, TimeProvider time)
    {
        this.time = time;
        configuredPrices = options.Value.Prices;
        AddConfiguredPrices();
    }

    /// <summary>The current time, in whole seconds.</summary>
    public DateTimeOffset Now => DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());

    public IReadOnlyList<EmulatedPrice> Prices => Read(() => prices.Values.ToArray());

    public IReadOnlyList<EmulatedCustomer> Customers => Read(() => customers.Values.ToArray());

    public IReadOnlyList<EmulatedCheckoutSession> CheckoutSessions => Read(() => checkoutSessions.Values.ToArray());

    public IReadOnlyList<EmulatedPortalSession> PortalSessions => Read(() => portalSessionsByToken.Values.ToArray());

    /// <summary>Every subscription, newest first.</summary>
    public IReadOnlyList<EmulatedSubscription> Subscriptions => Read(() => NewestFirst(subscriptions.Values));

    /// <summary>Forgets everything but the configured prices, as after a restart.</summary>
    public void Reset()
    {
        lock (gate)
        {
            prices.Clear();
            customers.Clear();
            customerByIdempotencyKey.Clear();
            subscriptions.Clear();
            checkoutSessions.Clear();
            portalSessionsByToken.Clear();
            AddConfiguredPrices();
        }
    }

    /// <summary>
    /// Adds a price, or replaces the one with that id; its product id is derived from the price id. The
    /// <paramref name="interval"/> is <c>month</c> or <c>year</c>, or null (or empty) for a one-time price.
    /// </summary>
    public EmulatedPrice PutPrice(string id, string productName, long unitAmount, string currency = "usd", string? interval = "month")
    {
        var productId = "prod_" + (id.StartsWith("price_", StringComparison.Ordinal) ? id["price_".Length..] : id);
        var price = new EmulatedPrice(id, productId, productName, unitAmount, currency, string.IsNullOrEmpty(interval) ? null : interval, Now);
        lock (gate)
        {
            prices[id] = price;
        }

        return price;
    }

    public EmulatedPrice? FindPrice(string id) => Read(() => prices.GetValueOrDefault(id));

    /// <summary>
    /// Creates a customer. A request with an <paramref name="idempotencyKey"/> seen before gets the first one's customer
    /// back (<c>Replayed</c>), as from Stripe.
    /// </summary>
    public (EmulatedCustomer Customer, bool Replayed) CreateCustomer(
        string? idempotencyKey, string? email, string? name, IReadOnlyDictionary<string, string> metadata)
    {
        lock (gate)
        {
            if (idempotencyKey is not null && customerByIdempotencyKey.TryGetValue(idempotencyKey, out var firstId))
            {
                return (customers[firstId], true);
            }

            var customer = new EmulatedCustomer(Ids.New("cus_"), email, name, metadata, Now);
            customers[customer.Id] = customer;
            if (idempotencyKey is not null)
            {
                customerByIdempotencyKey[idempotencyKey] = customer.Id;
            }

            return (customer, false);
        }
    }

    /// <summary>Adds a customer of a given id (e.g. one a test database already links to a tenant), or replaces it.</summary>
    public EmulatedCustomer PutCustomer(string id, string? email = null, string? name = null)
    {
        var customer = new EmulatedCustomer(id, email, name, new Dictionary<string, string>(), Now);
        lock (gate)
        {
            customers[id] = customer;
        }

        return customer;
    }

    public EmulatedCustomer? FindCustomer(string id) => Read(() => customers.GetValueOrDefault(id));

    /// <summary>Replaces the customer with <paramref name="change"/> of it; null if there is no such customer.</summary>
    public EmulatedCustomer? UpdateCustomer(string id, Func<EmulatedCustomer, EmulatedCustomer> change)
    {
        lock (gate)
        {
            return customers.TryGetValue(id, out var customer) ? customers[id] = change(customer) : null;
        }
    }

    /// <summary>
    /// Adds a subscription to a known price for the customer (added too if unknown), or replaces the one with
    /// <paramref name="id"/>. The period runs from <paramref name="created"/> (default now) to
    /// <paramref name="currentPeriodEnd"/> (default one interval later).
    /// </summary>
    /// <exception cref="ArgumentException">The emulator knows no price <paramref name="priceId"/>.</exception>
    public EmulatedSubscription PutSubscription(
        string customerId,
        string priceId,
        string status = "active",
        DateTimeOffset? currentPeriodEnd = null,
        bool cancelAtPeriodEnd = false,
        DateTimeOffset? cancelAt = null,
        DateTimeOffset? created = null,
        string? id = null)
    {
        var price = FindPrice(priceId) ?? throw new ArgumentException($"No such price: '{priceId}'; add it with PutPrice first.", nameof(priceId));
        var start = created ?? Now;
        var subscription = new EmulatedSubscription(
            id ?? Ids.New("sub_"), customerId, status, Ids.New("si_"), price, 1, start, currentPeriodEnd ?? price.PeriodEndAfter(start), start)
        {
            CancelAtPeriodEnd = cancelAtPeriodEnd,
            CancelAt = cancelAt,
        };
        lock (gate)
        {
            customers.TryAdd(customerId, new EmulatedCustomer(customerId, null, null, new Dictionary<string, string>(), start));
            subscriptions[subscription.Id] = subscription;
        }

        return subscription;
    }

    /// <summary>Makes <paramref name="replacements"/>, subscriptions of this customer, its only ones (a test harness sets them up so).</summary>
    public void ReplaceSubscriptionsOf(string customerId, IEnumerable<EmulatedSubscription> replacements)
    {
        lock (gate)
        {
            foreach (var id in subscriptions.Values.Where(subscription => subscription.CustomerId == customerId).Select(subscription => subscription.Id).ToList())
            {
                subscriptions.Remove(id);
            }

            foreach (var subscription in replacements)
            {
                subscriptions[subscription.Id] = subscription;
            }
        }
    }

    public EmulatedSubscription? FindSubscription(string id) => Read(() => subscriptions.GetValueOrDefault(id));

    /// <summary>The customer's subscriptions, newest first.</summary>
    public IReadOnlyList<EmulatedSubscription> SubscriptionsOf(string customerId) =>
        Read(() => NewestFirst(subscriptions.Values.Where(subscription => subscription.CustomerId == customerId)));

    /// <summary>
    /// Replaces the subscription with <paramref name="change"/> of it, only if it belongs to <paramref name="customerId"/>:
    /// null otherwise, so that no portal session can touch another customer's subscription.
    /// </summary>
    public EmulatedSubscription? UpdateSubscription(
        string customerId, string subscriptionId, Func<EmulatedSubscription, EmulatedSubscription> change)
    {
        lock (gate)
        {
            return subscriptions.TryGetValue(subscriptionId, out var subscription) && subscription.CustomerId == customerId
                ? subscriptions[subscriptionId] = change(subscription)
                : null;
        }
    }

    public void AddCheckoutSession(EmulatedCheckoutSession session)
    {
        lock (gate)
        {
            checkoutSessions.Add(session.Id, session);
        }
    }

    public EmulatedCheckoutSession? FindCheckoutSession(string id) => Read(() => checkoutSessions.GetValueOrDefault(id));

    /// <summary>
    /// Pays an open session: creates the customer's active subscription (one interval from now) and completes the
    /// session. A session already complete stays as it is, and <c>Created</c> is null. Null if there is no such session.
    /// </summary>
    public (EmulatedCheckoutSession Session, EmulatedSubscription? Created)? CompleteCheckout(string sessionId)
    {
        lock (gate)
        {
            if (!checkoutSessions.TryGetValue(sessionId, out var session))
            {
                return null;
            }

            if (session.Status == EmulatedCheckoutSession.Complete)
            {
                return (session, null);
            }

            var now = Now;
            var periodEnd = session.Price.PeriodEndAfter(now);
            var subscription = new EmulatedSubscription(
                Ids.New("sub_"), session.CustomerId, "active", Ids.New("si_"), session.Price, session.Quantity, now, periodEnd, now)
            {
                Metadata = session.SubscriptionMetadata,
            };
            subscriptions[subscription.Id] = subscription;
            session = checkoutSessions[sessionId] = session with { Status = EmulatedCheckoutSession.Complete, SubscriptionId = subscription.Id };
            return (session, subscription);
        }
    }

    public void AddPortalSession(EmulatedPortalSession session)
    {
        lock (gate)
        {
            portalSessionsByToken.Add(session.Token, session);
        }
    }

    public EmulatedPortalSession? FindPortalSession(string token) => Read(() => portalSessionsByToken.GetValueOrDefault(token));

    private void AddConfiguredPrices()
    {
        foreach (var price in configuredPrices)
        {
            PutPrice(price.Id, price.Product, price.UnitAmount, price.Currency, price.Interval);
        }
    }

    private T Read<T>(Func<T> read)
    {
        lock (gate)
        {
            return read();
        }
    }

    // Ties (the same second) go by id, so that a list reads the same every time.
    private static EmulatedSubscription[] NewestFirst(IEnumerable<EmulatedSubscription> subscriptions) =>
        subscriptions.OrderByDescending(subscription => subscription.Created)
            .ThenByDescending(subscription => subscription.Id, StringComparer.Ordinal)
            .ToArray();
}
