using Billing.Application.PortalSessions;

namespace Billing.Tests.Application.PortalSessions;

public sealed class AppOptionsValidatorTests
{
    private const string PublicUrlMessage = "App:PublicUrl must be the SPA's absolute http(s) URL, e.g. https://app.example.com.";

    [TestCase("https://app.example.com")]
    [TestCase("http://localhost:5173")]
    public void Validate_AbsoluteHttpUrl_Succeeds(string publicUrl)
    {
        Assert.That(Validate(publicUrl).Succeeded, Is.True);
    }

    [TestCase("")]
    [TestCase("app.example.com")]
    [TestCase("https://billing:secret@app.example.com")]
    [TestCase("https://app.example.com/?tenant=acme")]
    [TestCase("https://app.example.com/#billing")]
    public void Validate_NotAPlainAbsoluteHttpUrl_FailsNamingAppPublicUrl(string publicUrl)
    {
        Assert.That(Validate(publicUrl).Failures, Is.EqualTo(new[] { PublicUrlMessage }));
    }

    [Test]
    public void Validate_NothingConfigured_FailsNamingAppPublicUrl()
    {
        var result = new AppOptionsValidator().Validate(null, new AppOptions());

        Assert.That(result.Failures, Is.EqualTo(new[] { PublicUrlMessage }));
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(string publicUrl) =>
        new AppOptionsValidator().Validate(null, new AppOptions { PublicUrl = publicUrl });
}
