using Billing.Application.Common.Interfaces;
using Billing.Application.PortalAudit;
using Billing.Application.PortalSessions;
using Billing.Application.StripeEvents;
using Billing.Application.Subscriptions;
using Billing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace Billing.Tests.Application;

public sealed class DependencyInjectionTests
{
    private static readonly (string Key, string? Value) ValidPublicUrl = ("App:PublicUrl", ApplicationFixtures.PublicUrl);

    [Test]
    public void AddApplicationServices_WithWhatOtherLayersProvide_BuildsTheUseCasesInARequestScope()
    {
        using var provider = Provider(ValidPublicUrl);
        using var scope = provider.CreateScope();

        Assert.Multiple(() =>
        {
            Assert.That(scope.ServiceProvider.GetService<PortalSessionService>(), Is.Not.Null);
            Assert.That(scope.ServiceProvider.GetService<PortalAuditTrail>(), Is.Not.Null);
        });
    }

    [Test]
    public void AddApplicationServices_WithWhatOtherLayersProvide_BuildsTheSubscriptionAndWebhookUseCases()
    {
        using var provider = Provider(ValidPublicUrl);
        using var scope = provider.CreateScope();

        Assert.Multiple(() =>
        {
            Assert.That(scope.ServiceProvider.GetService<CurrentSubscriptionService>(), Is.Not.Null);
            Assert.That(provider.GetService<SubscriptionSync>(), Is.Not.Null);
            Assert.That(provider.GetService<StripeWebhookReceiver>(), Is.Not.Null);
            Assert.That(provider.GetService<StripeEventProcessor>(), Is.Not.Null);
        });
    }

    [Test]
    public void AddApplicationServices_Always_SharesOneArrivalsSignalBetweenReceiverAndWorker()
    {
        using var provider = Provider(ValidPublicUrl);
        using var scope = provider.CreateScope();

        Assert.That(scope.ServiceProvider.GetService<StripeEventArrivals>(), Is.Not.Null.And.SameAs(provider.GetService<StripeEventArrivals>()));
    }

    [Test]
    public void AddApplicationServices_NoClockGiven_UsesTheSystemClock()
    {
        using var provider = Provider(ValidPublicUrl);

        Assert.That(provider.GetService<TimeProvider>(), Is.SameAs(TimeProvider.System));
    }

    [Test]
    public void AddApplicationServices_ValidConfiguration_PassesStartUpValidation()
    {
        using var provider = Provider(ValidPublicUrl);

        Assert.That(() => provider.GetRequiredService<IStartupValidator>().Validate(), Throws.Nothing);
    }

    [TestCase("App:PublicUrl", "app.example.com")]
    [TestCase("Portal:ReturnPath", "settings/billing")]
    public void AddApplicationServices_SettingBreaksItsRule_FailsStartUpValidationNamingTheKey(string key, string value)
    {
        using var provider = Provider(ValidPublicUrl, (key, value));

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(exception.Failures, Has.Exactly(1).StartsWith(key + " "));
    }

    private static ServiceProvider Provider(params (string Key, string? Value)[] settings)
    {
        var services = new ServiceCollection()
            .AddSingleton(ApplicationFixtures.Configuration(settings))
            .AddLogging()
            .AddMetrics()
            .AddScoped(_ => Mock.Of<ICurrentTenant>())
            .AddScoped(_ => Mock.Of<IAuditContext>())
            .AddScoped(_ => Mock.Of<ITenantConfigRepository>())
            .AddScoped(_ => Mock.Of<IPortalAuditRepository>())
            .AddScoped(_ => Mock.Of<IStripePortalGateway>())
            .AddSingleton(_ => Mock.Of<ITenantBillingRepository>())
            .AddSingleton(_ => Mock.Of<IStripeSubscriptionGateway>())
            .AddSingleton(_ => Mock.Of<IStripeWebhookVerifier>())
            .AddSingleton(_ => Mock.Of<IStripeEventInbox>());
        return services.AddApplicationServices().BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }
}
