using Billing.Application.Common.Validation;

namespace Billing.Tests.Application.Common.Validation;

public sealed class UrlRulesTests
{
    [TestCase("https://app.example.com")]
    [TestCase("https://app.example.com/base")]
    [TestCase("http://localhost:5173")]
    public void IsAbsoluteHttpUrl_PlainHttpOrHttpsUrl_IsTrue(string value)
    {
        Assert.That(UrlRules.IsAbsoluteHttpUrl(value), Is.True);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("app.example.com")]
    [TestCase("/settings")]
    [TestCase("ftp://app.example.com")]
    [TestCase("https://admin@app.example.com")]
    [TestCase("https://admin:secret@app.example.com")]
    [TestCase("https://app.example.com/?tenant=1")]
    [TestCase("https://app.example.com/#billing")]
    public void IsAbsoluteHttpUrl_RelativeOtherSchemeUserInfoQueryOrFragment_IsFalse(string? value)
    {
        Assert.That(UrlRules.IsAbsoluteHttpUrl(value), Is.False);
    }

    [TestCase("https://app.example.com")]
    [TestCase("http://localhost:5173")]
    [TestCase("HTTPS://App.Example.com")]
    public void IsExactOrigin_SchemeHostAndOptionalPort_IsTrue(string value)
    {
        Assert.That(UrlRules.IsExactOrigin(value), Is.True);
    }

    [TestCase(null)]
    [TestCase("app.example.com")]
    [TestCase("https://app.example.com/")]
    [TestCase("https://app.example.com/billing")]
    [TestCase("https://*.example.com")]
    [TestCase("https://admin@app.example.com")]
    public void IsExactOrigin_AnythingMoreOrLessThanAnOrigin_IsFalse(string? value)
    {
        Assert.That(UrlRules.IsExactOrigin(value), Is.False);
    }

    [TestCase("/")]
    [TestCase("/settings/billing")]
    public void IsLocalPath_PathWithOneLeadingSlash_IsTrue(string value)
    {
        Assert.That(UrlRules.IsLocalPath(value), Is.True);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("settings/billing")]
    [TestCase("https://app.example.com/settings")]
    [TestCase("//evil.example")]
    [TestCase("/\\evil.example")]
    [TestCase("/settings\\billing")]
    [TestCase("/settings/billing\n")]
    public void IsLocalPath_RelativeHostLikeOrWithControlCharacters_IsFalse(string? value)
    {
        Assert.That(UrlRules.IsLocalPath(value), Is.False);
    }
}
