namespace StripeEmulator;

/// <summary>The emulator's settings (section <c>Emulator</c>), checked at start-up by <see cref="EmulatorOptionsValidator"/>.</summary>
public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>
    /// The retry delays when <see cref="WebhookRetryDelays"/> is not set: about ten minutes of retries, enough to restart
    /// the API once, then the event is given up.
    /// </summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultWebhookRetryDelays =
        [.. new[] { 1, 2, 5, 10, 30, 60, 120, 300 }.Select(seconds => TimeSpan.FromSeconds(seconds))];

    /// <summary>
    /// The base URL of the hosted pages in the URLs the API hands out, e.g. <c>http://localhost:12111</c>; none uses the
    /// scheme, host and port of the request that created the session.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Overrides <see cref="PublicUrl"/> for Checkout URLs (<c>{CheckoutPageUrl}/c/pay/{id}</c>).</summary>
    public string? CheckoutPageUrl { get; set; }

    /// <summary>Overrides <see cref="PublicUrl"/> for portal URLs (<c>{PortalPageUrl}/p/session/{token}</c>).</summary>
    public string? PortalPageUrl { get; set; }

    /// <summary>Where events are POSTed, e.g. <c>http://localhost:5137/api/stripe/webhooks</c>; none delivers no events.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The signing secret (<c>whsec_…</c>) of <see cref="WebhookUrl"/>; the API must list the same one.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>
    /// The waits before each retry of a delivery that failed, as TimeSpans (<c>"00:00:01"</c> is a second,
    /// <c>"00:00:00.050"</c> 50 ms); after the last, the event is given up. None set: <see cref="DefaultWebhookRetryDelays"/>.
    /// </summary>
    // Null rather than the defaults: the configuration binder appends configured array elements to a default array.
    public TimeSpan[]? WebhookRetryDelays { get; set; }

    /// <summary>The prices (and their products) the emulator knows from start-up.</summary>
    public List<EmulatorPriceOptions> Prices { get; set; } = [];
}
