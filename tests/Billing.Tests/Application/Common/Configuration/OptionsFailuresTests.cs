using Billing.Application.Common.Configuration;

namespace Billing.Tests.Application.Common.Configuration;

public sealed class OptionsFailuresTests
{
    [Test]
    public void ToResult_EveryCheckPassed_Succeeds()
    {
        var result = new OptionsFailures().Check(true, "A:First is wrong.").Check(true, "A:Second is wrong.").ToResult();

        Assert.That(result.Succeeded, Is.True);
    }

    [Test]
    public void ToResult_NoCheckAtAll_Succeeds()
    {
        Assert.That(new OptionsFailures().ToResult().Succeeded, Is.True);
    }

    [Test]
    public void ToResult_SomeChecksFailed_FailsWithTheMessageOfEachFailedCheckInOrder()
    {
        var result = new OptionsFailures()
            .Check(false, "A:First is wrong.")
            .Check(true, "A:Second is wrong.")
            .Check(false, "A:Third is wrong.")
            .ToResult();

        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.Failures, Is.EqualTo(new[] { "A:First is wrong.", "A:Third is wrong." }));
        });
    }
}
