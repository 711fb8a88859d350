namespace StripeEmulator.State;

/// <summary>
/// A billing portal session, as the emulator keeps it. <see cref="Url"/> is its hosted page,
/// <c>{PortalPageUrl}/p/session/{Token}</c>; whoever holds the unguessable <see cref="Token"/> acts as the customer.
/// </summary>
public sealed record EmulatedPortalSession(
    string Id,
    string Token,
    string CustomerId,
    string? ReturnUrl,
    string Configuration,
    string Url,
    DateTimeOffset Created)
{
    public string? Locale { get; init; }

    /// <summary>The deep link (<c>flow_data</c>) the session was created with, if any.</summary>
    public EmulatedPortalFlow? Flow { get; init; }
}
