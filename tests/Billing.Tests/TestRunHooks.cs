using Billing.Tests.Support;

namespace Billing.Tests;

/// <summary>Runs once around the whole assembly: the shared PostgreSQL goes away with the test run.</summary>
[SetUpFixture]
public sealed class TestRunHooks
{
    [OneTimeTearDown]
    public void StopPostgres() => PostgresServer.StopIfStarted();
}
