namespace StripeEmulator.State;

/// <summary>
/// A subscription-mode Checkout session for one price, as the emulator keeps it. <see cref="Url"/> is its hosted page,
/// <c>{CheckoutPageUrl}/c/pay/{Id}</c>.
/// </summary>
public sealed record EmulatedCheckoutSession(
    string Id,
    string CustomerId,
    EmulatedPrice Price,
    long Quantity,
    string SuccessUrl,
    string? CancelUrl,
    string Url,
    DateTimeOffset Created)
{
    public const string Open = "open";
    public const string Complete = "complete";

    /// <summary><see cref="Open"/> until paid, then <see cref="Complete"/>.</summary>
    public string Status { get; init; } = Open;

    /// <summary>The subscription that paying created.</summary>
    public string? SubscriptionId { get; init; }

    public string? ClientReferenceId { get; init; }

    public string? Locale { get; init; }

    public bool? AllowPromotionCodes { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>What the subscription's metadata will be (<c>subscription_data[metadata]</c>).</summary>
    public IReadOnlyDictionary<string, string> SubscriptionMetadata { get; init; } = new Dictionary<string, string>();
}
