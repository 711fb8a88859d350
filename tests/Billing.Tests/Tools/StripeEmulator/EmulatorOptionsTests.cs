using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StripeEmulator;

namespace Billing.Tests.Tools.StripeEmulator;

/// <summary>How the <c>Emulator</c> section binds, and which settings stop the emulator at start-up.</summary>
public sealed class EmulatorOptionsTests
{
    [Test]
    public void Bind_RetryDelaysAsTimeSpans_ReplaceTheDefaults()
    {
        var options = Bind(new Dictionary<string, string?>
        {
            ["Emulator:WebhookRetryDelays:0"] = "00:00:00.050",
            ["Emulator:WebhookRetryDelays:1"] = "00:00:02",
        });

        Assert.That(options.WebhookRetryDelays, Is.EqualTo(new[] { TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2) }));
    }

    [Test]
    public void Bind_NoRetryDelays_LeavesThemToTheDefaults()
    {
        var options = Bind(new Dictionary<string, string?>());

        Assert.That(options.WebhookRetryDelays, Is.Null);
    }

    [Test]
    public void Validate_NothingSet_Succeeds()
    {
        var result = new EmulatorOptionsValidator().Validate(null, new EmulatorOptions());

        Assert.That(result.Succeeded, Is.True);
    }

    [TestCase(null)]
    [TestCase("not_a_whsec_secret")]
    public void Validate_WebhookUrlWithoutAWebhookSecret_FailsNamingTheSecret(string? secret)
    {
        var result = new EmulatorOptionsValidator().Validate(null, new EmulatorOptions { WebhookUrl = "http://127.0.0.1:5137/api/stripe/webhooks", WebhookSecret = secret });

        Assert.That(result.Failures, Has.One.StartsWith("Emulator:WebhookSecret "));
    }

    [Test]
    public void Validate_RetryDelayOfADay_FailsNamingTheKey()
    {
        // What "1" binds to: TimeSpan reads a bare number as days.
        var result = new EmulatorOptionsValidator().Validate(null, new EmulatorOptions { WebhookRetryDelays = [TimeSpan.FromDays(1)] });

        Assert.That(result.Failures, Has.One.StartsWith("Emulator:WebhookRetryDelays "));
    }

    [TestCase("javascript:alert(1)")]
    [TestCase("/relative")]
    public void Validate_PortalPageUrlNotAnAbsoluteHttpUrl_FailsNamingTheKey(string url)
    {
        var result = new EmulatorOptionsValidator().Validate(null, new EmulatorOptions { PortalPageUrl = url });

        Assert.That(result.Failures, Has.One.StartsWith("Emulator:PortalPageUrl "));
    }

    [Test]
    public void Validate_PriceWithAnUnknownInterval_FailsNamingItsKey()
    {
        var options = new EmulatorOptions { Prices = [new EmulatorPriceOptions { Id = "price_weekly", Product = "Weekly", UnitAmount = 100, Interval = "week" }] };

        var result = new EmulatorOptionsValidator().Validate(null, options);

        Assert.That(result.Failures, Has.One.StartsWith("Emulator:Prices:0:Interval "));
    }

    private static EmulatorOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddStripeEmulator(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<EmulatorOptions>>().Value;
    }
}
