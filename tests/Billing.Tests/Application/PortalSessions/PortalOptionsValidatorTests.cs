using Billing.Application.PortalSessions;

namespace Billing.Tests.Application.PortalSessions;

public sealed class PortalOptionsValidatorTests
{
    private const string ReturnPathMessage = "Portal:ReturnPath must be a path that starts with a single '/', e.g. /settings/billing.";
    private const string OriginsMessage =
        "Portal:AllowedReturnOrigins must hold exact origins such as https://app.example.com (scheme, host and optional port; no path, no wildcard).";
    private const string RolesMessage = "Portal:RequiredRoles must hold role names without spaces.";
    private const string PermitLimitMessage = "Portal:RateLimit:PermitLimit must be at least 1.";
    private const string WindowMessage = "Portal:RateLimit:WindowSeconds must be at least 1.";

    [Test]
    public void Validate_Defaults_Succeed()
    {
        Assert.That(new PortalOptionsValidator().Validate(null, new PortalOptions()).Succeeded, Is.True);
    }

    [Test]
    public void Validate_EverySettingAtItsMostDemandingValidValue_Succeeds()
    {
        var options = new PortalOptions
        {
            ReturnPath = "/",
            AllowedReturnOrigins = ["https://app.example.com", "http://localhost:5173"],
            RequiredRoles = ["billing-admin", "owner"],
            RateLimit = new PortalRateLimitOptions { PermitLimit = 1, WindowSeconds = 1 },
        };

        Assert.That(new PortalOptionsValidator().Validate(null, options).Succeeded, Is.True);
    }

    private static IEnumerable<TestCaseData> BrokenSettings()
    {
        yield return Case("ReturnPathRelative", o => o.ReturnPath = "settings/billing", ReturnPathMessage);
        yield return Case("ReturnPathOtherHost", o => o.ReturnPath = "//evil.example/settings", ReturnPathMessage);
        yield return Case("OneOriginHasAPath", o => o.AllowedReturnOrigins = ["https://app.example.com", "https://admin.example.com/billing"], OriginsMessage);
        yield return Case("OriginIsAWildcard", o => o.AllowedReturnOrigins = ["https://*.example.com"], OriginsMessage);
        yield return Case("OneRoleHasASpace", o => o.RequiredRoles = ["owner", "billing admin"], RolesMessage);
        yield return Case("RoleIsEmpty", o => o.RequiredRoles = [""], RolesMessage);
        yield return Case("RoleIsWhiteSpace", o => o.RequiredRoles = ["\t"], RolesMessage);
        yield return Case("PermitLimitZero", o => o.RateLimit.PermitLimit = 0, PermitLimitMessage);
        yield return Case("WindowSecondsZero", o => o.RateLimit.WindowSeconds = 0, WindowMessage);
    }

    [TestCaseSource(nameof(BrokenSettings))]
    public void Validate_OneSettingBroken_FailsWithTheMessageNamingItsKey(Action<PortalOptions> breakSetting, string expectedMessage)
    {
        var options = new PortalOptions();
        breakSetting(options);

        Assert.That(new PortalOptionsValidator().Validate(null, options).Failures, Is.EqualTo(new[] { expectedMessage }));
    }

    [Test]
    public void Validate_EverySettingBroken_ReportsEachKeyOnce()
    {
        var options = new PortalOptions
        {
            ReturnPath = "",
            AllowedReturnOrigins = ["*"],
            RequiredRoles = [" "],
            RateLimit = new PortalRateLimitOptions { PermitLimit = -1, WindowSeconds = -1 },
        };

        Assert.That(new PortalOptionsValidator().Validate(null, options).Failures,
            Is.EqualTo(new[] { ReturnPathMessage, OriginsMessage, RolesMessage, PermitLimitMessage, WindowMessage }));
    }

    private static TestCaseData Case(string condition, Action<PortalOptions> breakSetting, string expectedMessage) =>
        new TestCaseData(breakSetting, expectedMessage).SetArgDisplayNames(condition);
}
