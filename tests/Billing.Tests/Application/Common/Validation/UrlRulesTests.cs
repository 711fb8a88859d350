using Billing.Application.Common.Validation;

namespace Billing.Tests.Application.Common.Validation;

public sealed class UrlRulesTests
{
    [TestCase("https://app.example.com", ExpectedResult = true)]
    [TestCase("https://app.example.com/base", ExpectedResult = true)]
    [TestCase("http://localhost:5173", ExpectedResult = true)]
    [TestCase(null, ExpectedResult = false)]
    [TestCase("", ExpectedResult = false)]
    [TestCase("app.example.com", ExpectedResult = false)]
    [TestCase("/settings", ExpectedResult = false)]
    [TestCase("ftp://app.example.com", ExpectedResult = false)]
    [TestCase("https://admin@app.example.com", ExpectedResult = false)]
    [TestCase("https://admin:secret@app.example.com", ExpectedResult = false)]
    [TestCase("https://app.example.com/?tenant=1", ExpectedResult = false)]
    [TestCase("https://app.example.com/#billing", ExpectedResult = false)]
    public bool IsAbsoluteHttpUrl_Value_IsTrueOnlyForHttpOrHttpsWithoutUserInfoQueryOrFragment(string? value) =>
        UrlRules.IsAbsoluteHttpUrl(value);

    [TestCase("https://app.example.com", ExpectedResult = true)]
    [TestCase("http://localhost:5173", ExpectedResult = true)]
    [TestCase("HTTPS://App.Example.com", ExpectedResult = true)]
    [TestCase(null, ExpectedResult = false)]
    [TestCase("app.example.com", ExpectedResult = false)]
    [TestCase("https://app.example.com/", ExpectedResult = false)]
    [TestCase("https://app.example.com/billing", ExpectedResult = false)]
    [TestCase("https://*.example.com", ExpectedResult = false)]
    [TestCase("https://admin@app.example.com", ExpectedResult = false)]
    public bool IsExactOrigin_Value_IsTrueOnlyForSchemeHostAndOptionalPort(string? value) =>
        UrlRules.IsExactOrigin(value);

    [TestCase("/", ExpectedResult = true)]
    [TestCase("/settings/billing", ExpectedResult = true)]
    [TestCase(null, ExpectedResult = false)]
    [TestCase("", ExpectedResult = false)]
    [TestCase("settings/billing", ExpectedResult = false)]
    [TestCase("https://app.example.com/settings", ExpectedResult = false)]
    [TestCase("//evil.example", ExpectedResult = false)]
    [TestCase("/\\evil.example", ExpectedResult = false)]
    [TestCase("/settings\\billing", ExpectedResult = false)]
    [TestCase("/settings/billing\n", ExpectedResult = false)]
    public bool IsLocalPath_Value_IsTrueOnlyForAPathWithOneLeadingSlashAndNoBackslashOrControlCharacter(string? value) =>
        UrlRules.IsLocalPath(value);
}
