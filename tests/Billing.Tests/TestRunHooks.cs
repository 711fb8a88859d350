using Billing.Tests.Support;

namespace Billing.Tests;

/// <summary>Runs once around the whole assembly: the shared PostgreSQL goes away with the test run.</summary>
[SetUpFixture]
public sealed class TestRunHooks
{
    [OneTimeTearDown]
    public void StopPostgres() => PostgresServer.StopIfStarted();

    /// <summary>Lines logged after the last test (hosts shutting down) get the same secret scan as every test's.</summary>
    [OneTimeTearDown]
    public void ScanRemainingLogs()
    {
        var leaks = SuiteLogs.SecretsSinceLastScan();
        TestContext.Progress.WriteLine($"Secret scan: {SuiteLogs.Count} log lines captured in this run, {leaks.Count} with a secret after the last test.");
        Assert.That(leaks, Is.Empty, "secrets logged after the last test");
    }
}
