using Microsoft.Extensions.Options;

namespace StripeEmulator;

/// <summary>The rules of <see cref="EmulatorOptions"/>, checked at start-up; each failure names its key.</summary>
public sealed class EmulatorOptionsValidator : IValidateOptions<EmulatorOptions>
{
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, EmulatorOptions options)
    {
        var failures = new List<string>();
        void Check(bool valid, string message)
        {
            if (!valid)
            {
                failures.Add(message);
            }
        }

        foreach (var (key, url) in new[]
        {
            ("PublicUrl", options.PublicUrl), ("CheckoutPageUrl", options.CheckoutPageUrl),
            ("PortalPageUrl", options.PortalPageUrl), ("WebhookUrl", options.WebhookUrl),
        })
        {
            Check(url is null || HttpUrl.IsValid(url), $"Emulator:{key} must be an absolute http(s) URL.");
        }

        Check(options.WebhookUrl is null || options.WebhookSecret?.StartsWith("whsec_", StringComparison.Ordinal) == true,
            "Emulator:WebhookSecret must be a webhook signing secret (whsec_...) when Emulator:WebhookUrl is set.");
        // TimeSpan reads a bare "1" as a day: an hour's bound catches that slip.
        Check(options.WebhookRetryDelays is null || options.WebhookRetryDelays.All(delay => delay >= TimeSpan.Zero && delay <= LongestRetryDelay),
            "Emulator:WebhookRetryDelays must be TimeSpans between 00:00:00 and 01:00:00, e.g. \"00:00:05\" or \"00:00:00.050\".");
        for (var index = 0; index < options.Prices.Count; index++)
        {
            var price = options.Prices[index];
            var key = $"Emulator:Prices:{index}";
            Check(price.Id.StartsWith("price_", StringComparison.Ordinal), $"{key}:Id must be a price id (price_...).");
            Check(price.Product.Length > 0, $"{key}:Product must name the product.");
            Check(price.UnitAmount >= 0, $"{key}:UnitAmount must not be negative.");
            Check(price.Currency.Length == 3 && price.Currency.All(char.IsAsciiLetterLower),
                $"{key}:Currency must be a lowercase ISO code, e.g. usd.");
            Check(price.Interval is null or "" or "month" or "year", $"{key}:Interval must be month, year, or empty for a one-time price.");
        }

        Check(options.Prices.DistinctBy(price => price.Id).Count() == options.Prices.Count, "Emulator:Prices must not list a price id twice.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
