namespace Billing.Application.Checkout;

/// <summary>The <c>locale</c> values Stripe Checkout accepts (fewer than the portal's).</summary>
public static class CheckoutLocales
{
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "auto", "bg", "cs", "da", "de", "el", "en", "en-GB", "es", "es-419", "et", "fi", "fil", "fr", "fr-CA", "hr", "hu",
        "id", "it", "ja", "ko", "lt", "lv", "ms", "mt", "nb", "nl", "pl", "pt", "pt-BR", "ro", "ru", "sk", "sl", "sv", "th",
        "tr", "vi", "zh", "zh-HK", "zh-TW",
    };
}
