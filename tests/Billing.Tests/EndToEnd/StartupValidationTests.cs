using Billing.Api.Observability;
using Billing.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Billing.Tests.EndToEnd;

/// <summary>
/// A misconfigured deployment refuses to start and says which key is wrong, instead of failing on the first click.
/// The services are composed as Program composes them and checked by the same validator ValidateOnStart runs at start-up.
/// </summary>
public sealed class StartupValidationTests
{
    [Test]
    public void Validate_WorkingSettings_Passes()
    {
        using var app = BuildApp(new Dictionary<string, string?>());

        Assert.That(() => app.Services.GetRequiredService<IStartupValidator>().Validate(), Throws.Nothing);
    }

    [TestCase("Stripe:SecretKey", null, "Stripe:SecretKey")]
    [TestCase("Stripe:SecretKey", "pk_test_publishable", "Stripe:SecretKey")]
    [TestCase("Stripe:TimeoutSeconds", "0", "Stripe:TimeoutSeconds")]
    [TestCase("Stripe:PortalConfigurationId", "default", "Stripe:PortalConfigurationId")]
    [TestCase("Stripe:WebhookRetentionDays", "0", "Stripe:WebhookRetentionDays")]
    [TestCase("ConnectionStrings:Billing", null, "ConnectionStrings:Billing")]
    [TestCase("Database:ConnectTimeoutSeconds", "0", "Database:ConnectTimeoutSeconds")]
    [TestCase("Database:CommandTimeoutSeconds", "0", "Database:CommandTimeoutSeconds")]
    [TestCase("Database:MaxPoolSize", "1", "Database:MaxPoolSize")]
    [TestCase("Audit:RetentionDays", "0", "Audit:RetentionDays")]
    [TestCase("App:PublicUrl", null, "App:PublicUrl")]
    [TestCase("App:PublicUrl", "app.example.com", "App:PublicUrl")]
    [TestCase("Portal:ReturnPath", "//evil.example", "Portal:ReturnPath")]
    [TestCase("Portal:ReturnPath", "/settings\\..\\billing", "Portal:ReturnPath")]
    [TestCase("Portal:AllowedReturnOrigins:0", "https://app.example.com/settings", "Portal:AllowedReturnOrigins")]
    [TestCase("Portal:RequiredRoles:0", "billing admin", "Portal:RequiredRoles")]
    [TestCase("Portal:RateLimit:PermitLimit", "0", "Portal:RateLimit:PermitLimit")]
    [TestCase("Cors:AllowedOrigins:0", "*", "Cors:AllowedOrigins")]
    [TestCase("Authentication:Schemes:Bearer:SigningKeys:0:Value", null, "SigningKeys")]
    [TestCase("Authentication:Schemes:Bearer:ValidAudiences:0", null, "ValidAudiences")]
    [TestCase("Tenancy:TenantClaim", " ", "Tenancy:TenantClaim")]
    [TestCase("Tenancy:RoleClaim", " ", "Tenancy:RoleClaim")]
    [TestCase("Telemetry:PrometheusScrapePath", "metrics", "Telemetry:PrometheusScrapePath")]
    [TestCase("Billing:Plans:0:PriceId", "prod_team", "Billing:Plans:n:PriceId")]
    public void Validate_InvalidSetting_FailsNamingTheKey(string key, string? value, string named)
    {
        using var app = BuildApp(new Dictionary<string, string?> { [key] = value });

        var exception = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(exception.Message, Does.Contain(named));
    }

    private static WebApplication BuildApp(Dictionary<string, string?> overrides)
    {
        var settings = BillingApiFactory.Settings("Host=127.0.0.1;Database=billing;Username=billing", "http://127.0.0.1:9", overrides);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings.Where(setting => setting.Value is not null));
        builder.AddObservability();
        builder.Services.AddApplicationServices().AddInfrastructureServices().AddApiServices();
        return builder.Build();
    }
}
