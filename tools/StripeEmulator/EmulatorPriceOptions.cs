namespace StripeEmulator;

/// <summary>One price the emulator knows from start-up (<c>Emulator:Prices:n</c>), with the name of its product.</summary>
public sealed class EmulatorPriceOptions
{
    /// <summary>The price id, <c>price_…</c>.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The product's display name, e.g. <c>Team</c>.</summary>
    public string Product { get; set; } = string.Empty;

    /// <summary>The amount in the currency's smallest unit, e.g. 2900 for $29.00.</summary>
    public long UnitAmount { get; set; }

    public string Currency { get; set; } = "usd";

    /// <summary><c>month</c> or <c>year</c> for a recurring price; empty for a one-time price.</summary>
    public string? Interval { get; set; }
}
