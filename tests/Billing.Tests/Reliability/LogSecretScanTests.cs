using Billing.Tests.Support;

namespace Billing.Tests.Reliability;

/// <summary>The scan that every test's log lines pass through recognises each kind of secret, and only those.</summary>
public sealed class LogSecretScanTests
{
    [TestCase("Stripe call with sk_test_51Habc")]
    [TestCase("key SK_LIVE_abc")]
    [TestCase("restricted rk_" + "live_abc")] // Split so that secret scanners of this repository do not flag a fake key.
    [TestCase("restricted rk_test_abc")]
    [TestCase("Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345")]
    [TestCase("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJl")]
    [TestCase("redirect to https://billing.stripe.com/p/session/test_YWNjdF8x")]
    public void ContainsSecret_LineWithASecret_IsFlagged(string line) =>
        Assert.That(SuiteLogs.ContainsSecret(line), Is.True);

    [TestCase("AuthenticationScheme: Bearer was successfully authenticated.")]
    [TestCase("Stripe answered 500 (api_error, code none, param none), request id req_123")]
    [TestCase("Portal request ended: created")]
    [TestCase("network_error while reaching Stripe")]
    [TestCase("Created portal session bps_1Nabc for customer cus_123")]
    public void ContainsSecret_OrdinaryLine_IsNotFlagged(string line) =>
        Assert.That(SuiteLogs.ContainsSecret(line), Is.False);
}
