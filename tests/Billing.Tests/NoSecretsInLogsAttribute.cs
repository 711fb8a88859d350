using Billing.Tests.Support;
using NUnit.Framework.Interfaces;

[assembly: Billing.Tests.NoSecretsInLogs]

namespace Billing.Tests;

/// <summary>
/// After every test in the run, the log lines written since the previous test are searched for Stripe keys, bearer
/// tokens and portal URLs; a test during which one was logged fails, naming the line.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class NoSecretsInLogsAttribute : Attribute, ITestAction
{
    public ActionTargets Targets => ActionTargets.Test;

    public void BeforeTest(ITest test)
    {
    }

    public void AfterTest(ITest test)
    {
        var leaks = SuiteLogs.SecretsSinceLastScan();
        if (leaks.Count > 0)
        {
            Assert.Fail($"A secret was logged during this test:{Environment.NewLine}{string.Join(Environment.NewLine, leaks)}");
        }
    }
}
