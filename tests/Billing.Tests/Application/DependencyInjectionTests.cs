using Billing.Application.Common.Interfaces;
using Billing.Application.PortalAudit;
using Billing.Application.PortalSessions;
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
            .AddScoped(_ => Mock.Of<IStripePortalGateway>());
        return services.AddApplicationServices().BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }
}
