using Billing.Tests.Support;
using Microsoft.Extensions.Options;

namespace Billing.Tests.EndToEnd;

/// <summary>A misconfigured deployment refuses to start and says which key is wrong, instead of failing on the first click.</summary>
public sealed class StartupValidationTests
{
    private const string AnyDatabase = "Host=127.0.0.1;Database=billing;Username=billing";

    [TestCase("Stripe:SecretKey", null, "Stripe:SecretKey")]
    [TestCase("Stripe:SecretKey", "pk_test_publishable", "Stripe:SecretKey")]
    [TestCase("Stripe:TimeoutSeconds", "0", "Stripe:TimeoutSeconds")]
    [TestCase("ConnectionStrings:Billing", null, "ConnectionStrings:Billing")]
    [TestCase("App:PublicUrl", null, "App:PublicUrl")]
    [TestCase("App:PublicUrl", "app.example.com", "App:PublicUrl")]
    [TestCase("Portal:ReturnPath", "//evil.example", "Portal:ReturnPath")]
    [TestCase("Cors:AllowedOrigins:0", "*", "Cors:AllowedOrigins")]
    [TestCase("Authentication:Schemes:Bearer:SigningKeys:0:Value", null, "SigningKeys")]
    [TestCase("Authentication:Schemes:Bearer:ValidAudiences:0", null, "ValidAudiences")]
    [TestCase("Tenancy:TenantClaim", " ", "Tenancy:TenantClaim")]
    public void Start_InvalidSetting_FailsNamingTheKey(string key, string? value, string named)
    {
        using var factory = BillingApiFactory.Create(AnyDatabase, "http://127.0.0.1:9", new Dictionary<string, string?>
        {
            ["Database:MigrateOnStartup"] = "false",
            [key] = value,
        });

        var exception = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.That(exception.Message, Does.Contain(named));
    }
}
