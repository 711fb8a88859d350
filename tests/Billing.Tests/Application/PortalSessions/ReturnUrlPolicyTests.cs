using Billing.Application.PortalSessions;
using Billing.Tests.Support;
using Microsoft.Extensions.Options;

namespace Billing.Tests.Application.PortalSessions;

public sealed class ReturnUrlPolicyTests
{
    private readonly ReturnUrlPolicy policy = ApplicationFixtures.ReturnUrlPolicy();

    [Test]
    public void Resolve_Null_IsPublicUrlPlusReturnPath()
    {
        Assert.That(policy.Resolve(null), Is.EqualTo("https://app.example.com/settings/billing"));
    }

    [TestCase("/settings/billing?tab=invoices", "https://app.example.com/settings/billing?tab=invoices")]
    [TestCase("/", "https://app.example.com/")]
    [TestCase("/search?q=a%20b%2Fc", "https://app.example.com/search?q=a%20b%2Fc")]
    [TestCase("https://app.example.com/settings/billing#plan", "https://app.example.com/settings/billing#plan")]
    [TestCase("HTTPS://APP.EXAMPLE.COM/Settings", "https://app.example.com/Settings")]
    [TestCase("https://app.example.com:443/x", "https://app.example.com/x")]
    public void Resolve_OwnPathOrOrigin_IsAllowedInNormalisedForm(string requested, string expected)
    {
        Assert.That(policy.Resolve(requested), Is.EqualTo(expected));
    }

    [TestCase("https://evil.example/")]
    [TestCase("//evil.example")]
    [TestCase("//evil.example/settings")]
    [TestCase("/%2F/evil.example")]
    [TestCase("/%2f%2fevil.example")]
    [TestCase("/%5Cevil.example")]
    [TestCase("/settings%0d%0aSet-Cookie:x")]
    [TestCase("https://app.example.com//evil.example")]
    [TestCase("/\\evil.example")]
    [TestCase("\\\\evil.example")]
    [TestCase("https:evil.example")]
    [TestCase("https:/evil.example")]
    [TestCase("javascript:alert(document.cookie)")]
    [TestCase("JavaScript:alert(1)")]
    [TestCase("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")]
    [TestCase("https://app.example.com@evil.example")]
    [TestCase("https://user:pass@app.example.com/")]
    [TestCase("https://app.example.com.evil.example/")]
    [TestCase("https://evil.example/?https://app.example.com")]
    [TestCase("http://app.example.com/settings")]
    [TestCase("https://app.example.com:8443/")]
    [TestCase("ftp://app.example.com/")]
    [TestCase("settings/billing")]
    [TestCase("")]
    [TestCase(" /settings")]
    [TestCase("/settings\r\nLocation: https://evil.example")]
    [TestCase("/sett\tings")]
    [TestCase("/settings/bil ling")]
    [TestCase("/a\\b")]
    [TestCase("https://app.example.com/a\\b")]
    [TestCase("https:app.example.com/settings")]
    [TestCase("https:/app.example.com/settings")]
    [TestCase("https://app.example.com/\u0000")]
    [TestCase("https://app.example.com\u2028/")]
    [TestCase("https://%61pp.example.com.evil.example/")]
    public void IsAllowed_AnythingButOurOwnPages_IsRefused(string requested)
    {
        Assert.That(policy.IsAllowed(requested), Is.False);
    }

    [Test]
    public void IsAllowed_LongerThan2048Characters_IsRefused()
    {
        var path = "/" + new string('a', ReturnUrlPolicy.MaxLength);

        Assert.That(policy.IsAllowed(path), Is.False);
    }

    [Test]
    public void IsAllowed_Exactly2048Characters_IsAllowed()
    {
        var path = "/" + new string('a', ReturnUrlPolicy.MaxLength - 1);

        Assert.That(policy.IsAllowed(path), Is.True);
    }

    [Test]
    public void IsAllowed_OriginInTheConfiguredAllowlist_IsAllowed()
    {
        var withAllowlist = ApplicationFixtures.ReturnUrlPolicy(allowedOrigins: ["https://admin.example.com", "https://app.example.com"]);

        Assert.That(withAllowlist.IsAllowed("https://admin.example.com/billing"), Is.True);
    }

    [Test]
    public void IsAllowed_PublicUrlOriginMissingFromTheAllowlist_RefusesItsAbsoluteUrlsButNotItsPaths()
    {
        var withAllowlist = ApplicationFixtures.ReturnUrlPolicy(allowedOrigins: ["https://admin.example.com"]);

        Assert.Multiple(() =>
        {
            Assert.That(withAllowlist.IsAllowed("https://app.example.com/billing"), Is.False);
            Assert.That(withAllowlist.IsAllowed("/billing"), Is.True);
        });
    }

    [TestCase("http://localhost:5173/settings")]
    [TestCase("http://127.0.0.1:5173/settings")]
    public void IsAllowed_PlainHttpOnLoopback_IsAllowedWhenThatOriginIsAllowed(string requested)
    {
        var local = ApplicationFixtures.ReturnUrlPolicy(allowedOrigins: ["http://localhost:5173", "http://127.0.0.1:5173"]);

        Assert.That(local.IsAllowed(requested), Is.True);
    }

    [Test]
    public void IsAllowed_PlainHttpOnAnotherHost_IsRefusedEvenWhenThatOriginIsListed()
    {
        var insecure = ApplicationFixtures.ReturnUrlPolicy(allowedOrigins: ["http://app.example.com"]);

        Assert.That(insecure.IsAllowed("http://app.example.com/settings"), Is.False);
    }

    [Test]
    public void Resolve_RefusedUrl_ThrowsNamingTheArgument()
    {
        var exception = Assert.Throws<ArgumentException>(() => policy.Resolve("https://evil.example/"));

        Assert.Multiple(() =>
        {
            Assert.That(exception.ParamName, Is.EqualTo("requested"));
            Assert.That(exception.Message, Does.StartWith("The return URL is not allowed."));
        });
    }

    [Test]
    public void Resolve_NullWithDefaultPortalOptions_IsTheSettingsBillingPageOfThePublicUrl()
    {
        var defaults = new ReturnUrlPolicy(
            Options.Create(new AppOptions { PublicUrl = "https://app.example.com/" }), Options.Create(new PortalOptions()));

        Assert.That(defaults.Resolve(null), Is.EqualTo("https://app.example.com/settings/billing"));
    }
}
